import { Injectable } from '@nestjs/common';
import { toDigitalLink, toElementString } from '@drugtrace/chaincode/domain';
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import { AppConfig } from '../config/app-config';

export type Symbology = 'qr' | 'datamatrix';
export interface Pack {
  gtin: string;
  lot: string;
  expiry: string;
  serial: string;
}

/**
 * QR codes carry the GS1 Digital Link URI (a phone camera opens the public resolver); GS1 DataMatrix
 * carries the element string (what pharmacy scanners read).
 */
@Injectable()
export class LabelRenderer {
  constructor(private readonly config: AppConfig) {}

  #options(pack: Pack, symbology: Symbology): bwipjs.RenderOptions {
    return symbology === 'qr'
      ? { bcid: 'qrcode', text: toDigitalLink(pack, this.config.publicBaseUrl), scale: 4, paddingwidth: 4, paddingheight: 4, backgroundcolor: 'FFFFFF' }
      : { bcid: 'gs1datamatrix', text: toElementString(pack, { parentheses: true }), scale: 5, paddingwidth: 4, paddingheight: 4, backgroundcolor: 'FFFFFF' };
  }

  async png(pack: Pack, symbology: Symbology): Promise<Buffer> {
    return bwipjs.toBuffer(this.#options(pack, symbology));
  }

  svg(pack: Pack, symbology: Symbology): string {
    return bwipjs.toSVG(this.#options(pack, symbology));
  }

  /** An A4 sheet, 3 × 5 labels a page, each with the code and the human-readable data under it. */
  async pdf(packs: Pack[], symbology: Symbology, title: string): Promise<Buffer> {
    const doc = new PDFDocument({ size: 'A4', margin: 36, info: { Title: title, Producer: 'DrugTrace' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
    const cols = 3;
    const rows = 5;
    const cellW = (doc.page.width - 72) / cols;
    const cellH = (doc.page.height - 72) / rows;
    for (let i = 0; i < packs.length; i++) {
      if (i > 0 && i % (cols * rows) === 0) doc.addPage();
      const slot = i % (cols * rows);
      const x = 36 + (slot % cols) * cellW;
      const y = 36 + Math.floor(slot / cols) * cellH;
      const image = await this.png(packs[i], symbology);
      doc.image(image, x + 10, y + 6, { fit: [cellW - 20, cellH - 56], align: 'center' });
      doc.fontSize(7).text(`GTIN ${packs[i].gtin}  LOT ${packs[i].lot}`, x + 4, y + cellH - 46, { width: cellW - 8, align: 'center' });
      doc.text(`EXP ${packs[i].expiry}  SN ${packs[i].serial}`, { width: cellW - 8, align: 'center' });
    }
    doc.end();
    return done;
  }
}
