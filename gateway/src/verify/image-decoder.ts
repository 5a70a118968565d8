import { Injectable } from '@nestjs/common';
import { DomainError } from '@drugtrace/chaincode/domain';
import { readFileSync } from 'node:fs';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

let prepared: Promise<unknown> | undefined;

/** Loads the decoder's WebAssembly from the installed package (never from a CDN). */
function ready(): Promise<unknown> {
  prepared ??= prepareZXingModule({
    overrides: { wasmBinary: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')).buffer as ArrayBuffer },
    fireImmediately: true,
  });
  return prepared;
}

/** QR and GS1 DataMatrix from a PNG or JPEG photo or scan. */
@Injectable()
export class ImageDecoder {
  async decode(image: Buffer): Promise<string> {
    await ready();
    const results = await readBarcodes(new Uint8Array(image), { formats: ['QRCode', 'DataMatrix'], tryHarder: true, maxNumberOfSymbols: 1 });
    const found = results.find((r) => r.isValid && r.text);
    if (!found) throw new DomainError('INVALID', 'no QR or DataMatrix code found in the image');
    // GS1 DataMatrix: zxing gives the data with GS separators; the symbology identifier marks it as GS1.
    return found.symbologyIdentifier === ']d2' || found.symbologyIdentifier === ']Q3' ? `${found.symbologyIdentifier}${found.text}` : found.text;
  }
}
