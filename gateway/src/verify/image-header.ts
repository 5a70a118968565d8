import { PayloadTooLargeException, UnprocessableEntityException } from '@nestjs/common';
import { imageSize } from 'image-size';

/** Formats both the header reader and the decoder (zxing-wasm's stb_image) understand. */
const FORMATS: Record<string, string> = { png: 'PNG', jpg: 'JPEG', gif: 'GIF', bmp: 'BMP' };
const names = Object.values(FORMATS);
export const FORMAT_NAMES = `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;

export interface ImageHeader {
  format: string;
  width: number;
  height: number;
}

/**
 * What the image's header declares, read without decoding it, and refused before any decoding when the
 * decoder would need too much: a 100 KB PNG can declare 10,000 × 10,000 pixels, which decode to 400 MB.
 * 422 for what is no image of a known format, 413 for more than `maxPixels` pixels.
 */
export function checkImageHeader(image: Uint8Array, maxPixels: number): ImageHeader {
  let size: ReturnType<typeof imageSize>;
  try {
    // A copy of exactly the upload's bytes: image-size reads a truncated header past the end of the view it is
    // given, and an upload is a view into a larger pooled buffer, so its answer depended on that buffer's
    // leftovers (a 6-byte GIF was "65,535 × 65,535 pixels", 413, when it should be 422).
    size = imageSize(new Uint8Array(image));
  } catch {
    throw new UnprocessableEntityException(`the upload is not a ${FORMAT_NAMES} image`);
  }
  const format = size.type ? FORMATS[size.type] : undefined;
  if (!format) throw new UnprocessableEntityException(`the upload is not a ${FORMAT_NAMES} image`);
  const { width, height } = size;
  if (!(width > 0 && height > 0))
    throw new UnprocessableEntityException(`the ${format} image declares no size`);
  if (width * height > maxPixels) {
    throw new PayloadTooLargeException(
      `the ${format} image is ${width} × ${height} pixels; at most ${maxPixels.toLocaleString('en')} pixels (${+(maxPixels / 1e6).toFixed(1)} megapixels) are decoded`,
    );
  }
  return { format, width, height };
}
