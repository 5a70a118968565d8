/** Label PNGs fetched as bytes and photos uploaded to the real gateway, for the label and photo-scan tests. */
import { gatewayUrl, readApiKeys } from '../support/paths';
import { Role } from '../support/http';
import { Batch } from './supply-chain';

export interface Binary {
  status: number;
  contentType: string;
  disposition: string;
  bytes: Buffer;
}

/** A GET whose body is kept as bytes (api() decodes text). */
export async function getBinary(path: string, as: Role): Promise<Binary> {
  const res = await fetch(gatewayUrl + path, {
    headers: { authorization: `Bearer ${readApiKeys()[as]}` },
    signal: AbortSignal.timeout(60_000),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

/** A label as a manufacturer prints it, asserted to be a PNG. */
export async function pngLabel(b: Batch, serial: string, symbology: 'qr' | 'datamatrix'): Promise<Buffer> {
  const label = await getBinary(
    `/v1/batches/${b.gtin}/${encodeURIComponent(b.lot)}/labels?format=png&symbology=${symbology}&serial=${serial}`,
    'manufacturer',
  );
  expect({ status: label.status, contentType: label.contentType }).toEqual({
    status: 200,
    contentType: 'image/png',
  });
  expect(label.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return label.bytes;
}

/** POST /v1/verify/image with the bytes as the multipart field `image`. */
export async function uploadPhoto(bytes: Buffer, as: Role | null, type = 'image/png', field = 'image') {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)], { type }), 'photo.png');
  const res = await fetch(`${gatewayUrl}/v1/verify/image`, {
    method: 'POST',
    headers: as ? { authorization: `Bearer ${readApiKeys()[as]}` } : {},
    body: form,
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
