import { Injectable } from '@nestjs/common';
import { FullPack, toDigitalLink, yymmddFromIso } from '@drugtrace/chaincode/domain';
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import { AppConfig } from '../config/app-config';
import { Symbology } from './labels.dto';

const COLUMNS = 3;
const ROWS = 5;
const MARGIN = 36;

/** bwip-js's notation for a parenthesis inside an AI value: an ordinal its `parse` option expands. */
const ORDINAL: Readonly<Record<string, string>> = { '(': '^040', ')': '^041' };

/**
 * The GS1 DataMatrix data in bwip-js's bracketed AI syntax, built from the pack's fields. A lot or serial may
 * hold '(' and ')' (GS1 character set 82), which that syntax would read as an AI boundary — `L(21)Z` would
 * become lot `L` and a second serial — so they travel as ^040/^041 and are encoded as the characters
 * themselves. '^' is not in character set 82, so no value can contain an ordinal of its own.
 */
export function gs1DataMatrixText(pack: FullPack): string {
  const value = (v: string): string => v.replace(/[()]/g, (c) => ORDINAL[c]);
  return `(01)${pack.gtin}(17)${yymmddFromIso(pack.expiry)}(10)${value(pack.lot)}(21)${value(pack.serial)}`;
}

/**
 * QR codes carry the GS1 Digital Link URI on this gateway's public resolver (a phone camera opens the
 * verdict page); GS1 DataMatrix carries the element string with FNC1, what pharmacy scanners read.
 */
@Injectable()
export class LabelRenderer {
  constructor(private readonly config: AppConfig) {}

  png(pack: FullPack, symbology: Symbology): Promise<Buffer> {
    return bwipjs.toBuffer(this.#options(pack, symbology));
  }

  svg(pack: FullPack, symbology: Symbology): string {
    return bwipjs.toSVG(this.#options(pack, symbology));
  }

  /** An A4 sheet, 3 × 5 labels a page, each with the symbol and the human-readable data under it. */
  async pdf(packs: FullPack[], symbology: Symbology, title: string): Promise<Buffer> {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      info: { Title: title, Producer: 'DrugTrace' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    const cellW = (doc.page.width - 2 * MARGIN) / COLUMNS;
    const cellH = (doc.page.height - 2 * MARGIN) / ROWS;
    for (const [i, pack] of packs.entries()) {
      const slot = i % (COLUMNS * ROWS);
      if (i > 0 && slot === 0) doc.addPage();
      const x = MARGIN + (slot % COLUMNS) * cellW;
      const y = MARGIN + Math.floor(slot / COLUMNS) * cellH;
      doc.image(await this.png(pack, symbology), x + 10, y + 6, {
        fit: [cellW - 20, cellH - 56],
        align: 'center',
      });
      doc.fontSize(7).text(`GTIN ${pack.gtin}  LOT ${pack.lot}`, x + 4, y + cellH - 46, {
        width: cellW - 8,
        align: 'center',
      });
      doc.text(`EXP ${pack.expiry}  SN ${pack.serial}`, { width: cellW - 8, align: 'center' });
    }
    doc.end();
    return done;
  }

  /** Encoded from the pack's fields, never from a human-readable string that would have to be parsed again. */
  #options(pack: FullPack, symbology: Symbology): bwipjs.RenderOptions {
    const common = { paddingwidth: 4, paddingheight: 4, backgroundcolor: 'FFFFFF' };
    return symbology === 'qr'
      ? { ...common, bcid: 'qrcode', text: toDigitalLink(pack, this.config.publicBaseUrl), scale: 4 }
      : { ...common, bcid: 'gs1datamatrix', text: gs1DataMatrixText(pack), parse: true, scale: 5 };
  }
}
