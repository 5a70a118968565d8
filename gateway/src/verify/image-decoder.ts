import { Injectable } from '@nestjs/common';
import { DomainError } from '@drugtrace/chaincode/domain';
import { readFileSync } from 'node:fs';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

let prepared: Promise<unknown> | undefined;

/** Loads the decoder's WebAssembly from the installed package (never from a CDN), once. */
function ready(): Promise<unknown> {
  prepared ??= prepareZXingModule({
    overrides: {
      wasmBinary: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')).buffer as ArrayBuffer,
    },
    fireImmediately: true,
  });
  return prepared;
}

/** Reads a QR code or GS1 DataMatrix from a PNG/JPEG photo or scan. */
@Injectable()
export class ImageDecoder {
  /**
   * The payload as a scanner would send it: the QR's text (a Digital Link URI), or for GS1 content the
   * symbology identifier followed by the raw element string with GS separators, which parseCode reads.
   */
  async decode(image: Buffer): Promise<string> {
    await ready();
    let results: Awaited<ReturnType<typeof readBarcodes>>;
    try {
      results = await readBarcodes(new Uint8Array(image), {
        formats: ['QRCode', 'DataMatrix'],
        tryHarder: true,
        maxNumberOfSymbols: 1,
        textMode: 'Plain',
      });
    } catch {
      throw new DomainError('INVALID', 'the upload is not a readable PNG or JPEG image');
    }
    const found = results.find((r) => r.isValid && r.text);
    if (!found) throw new DomainError('INVALID', 'no QR code or DataMatrix found in the image');
    return found.contentType === 'GS1' ? `${found.symbologyIdentifier}${found.text}` : found.text;
  }
}
