import { crc32, createDeflate, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit greyscale PNG from its filtered rows, zlib-compressed. */
function greyscalePng(width: number, height: number, idat: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (greyscale), deflate, no filter, no interlace
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A black PNG of `width` × `height` pixels, streamed through zlib row by row: 10,000 × 10,000 pixels (100 MB
 * decoded) compress to about 100 KB — a "small photo" that is huge once decoded.
 */
export async function blankPng(width: number, height: number): Promise<Buffer> {
  const row = Buffer.alloc(width + 1); // filter byte 0, then black pixels
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<void>((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  for (let y = 0; y < height; y++)
    if (!deflate.write(row)) await new Promise((r) => deflate.once('drain', r));
  deflate.end();
  await done;
  return greyscalePng(width, height, Buffer.concat(parts));
}

/**
 * Concentric squares repeating every 21 pixels, which look like QR finder patterns everywhere: a decoder
 * searching for codes spends long on it and finds none.
 */
export function finderPatternPng(width: number, height: number): Buffer {
  const PERIOD = 21;
  const grey = (x: number, y: number) =>
    [0, 1, 4, 5, 8, 9].includes(Math.max(Math.abs(x - 10), Math.abs(y - 10))) ? 0 : 255;
  // One filtered row per row of the tile, repeated down the image.
  const rows = Array.from({ length: PERIOD }, (_, ty) => {
    const row = Buffer.alloc(width + 1);
    for (let x = 0; x < width; x++) row[1 + x] = grey(x % PERIOD, ty);
    return row;
  });
  const raw = Buffer.concat(Array.from({ length: height }, (_, y) => rows[y % PERIOD]));
  return greyscalePng(width, height, deflateSync(raw, { level: 9 }));
}
