import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { WORKER_READY, WorkerReply } from '../common/worker-pool';

/**
 * A worker thread of the image decoder's pool (image-decoder.ts): reads one QR code or GS1 DataMatrix from
 * each image it is sent and posts back the payload as a scanner would send it (the QR's text, or for GS1
 * content the symbology identifier followed by the element string with GS separators), or null when the image
 * holds no code. The decoder's WebAssembly comes from the installed package (never a CDN), loaded once,
 * before the worker says it is ready.
 */
const ready = prepareZXingModule({
  overrides: {
    wasmBinary: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')).buffer as ArrayBuffer,
  },
  fireImmediately: true,
});

async function decode(image: Uint8Array): Promise<string | null> {
  await ready;
  const results = await readBarcodes(image, {
    formats: ['QRCode', 'DataMatrix'],
    tryHarder: true,
    maxNumberOfSymbols: 1,
    textMode: 'Plain',
  });
  const found = results.find((r) => r.isValid && r.text);
  if (!found) return null;
  return found.contentType === 'GS1' ? `${found.symbologyIdentifier}${found.text}` : found.text;
}

parentPort?.on('message', (image: Uint8Array) => {
  decode(image).then(
    (value): void => parentPort?.postMessage({ ok: true, value } satisfies WorkerReply<string | null>),
    (err: unknown): void =>
      parentPort?.postMessage({ ok: false, error: String(err) } satisfies WorkerReply<string | null>),
  );
});
void ready.then(() => parentPort?.postMessage(WORKER_READY));
