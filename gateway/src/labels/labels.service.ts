import { Injectable } from '@nestjs/common';
import { DomainError, FullPack } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { BatchesService } from '../batches/batches.service';
import { UnitsService } from '../units/units.service';
import { LabelRenderer } from './label-renderer';
import { LabelsQuery } from './labels.dto';

export const MAX_SHEET = 5000;

export interface RenderedLabels {
  contentType: string;
  body: Buffer | string;
  filename: string;
}

/** Printable codes for a batch's packs, for the batch's own manufacturer only. */
@Injectable()
export class LabelsService {
  constructor(
    private readonly batches: BatchesService,
    private readonly units: UnitsService,
    private readonly renderer: LabelRenderer,
  ) {}

  async render(caller: Caller, gtin: string, lot: string, query: LabelsQuery): Promise<RenderedLabels> {
    const format = query.format ?? 'pdf';
    const symbology = query.symbology ?? 'datamatrix';
    const batch = await this.batches.get(caller, gtin, lot);
    if (batch.manufacturer !== caller.mspId) {
      throw new DomainError('FORBIDDEN', `labels of ${gtin}/${lot} are printed by ${batch.manufacturer}`);
    }
    const name = `labels-${gtin}-${lot}`.replace(/[^\w.-]/g, '_');
    if (format === 'pdf') {
      if (batch.quantity > MAX_SHEET) {
        throw new DomainError(
          'INVALID',
          `a sheet holds at most ${MAX_SHEET} labels; this batch has ${batch.quantity}`,
        );
      }
      const serials = await this.batches.serials(caller, gtin, lot, MAX_SHEET);
      const packs = serials.map((serial) => ({ gtin, lot, expiry: batch.expiry, serial }));
      const body = await this.renderer.pdf(packs, symbology, `Labels ${gtin} ${lot}`);
      return { contentType: 'application/pdf', body, filename: `${name}.pdf` };
    }
    if (!query.serial) throw new DomainError('INVALID', `format ${format} renders one pack: add ?serial=`);
    const unit = await this.units.get(caller, gtin, query.serial);
    if (unit.lot !== lot) throw new DomainError('NOT_FOUND', `serial ${query.serial} is not in lot ${lot}`);
    const pack: FullPack = { gtin, lot, expiry: batch.expiry, serial: query.serial };
    const file = `${name}-${query.serial.replace(/[^\w.-]/g, '_')}-${symbology}`;
    return format === 'png'
      ? { contentType: 'image/png', body: await this.renderer.png(pack, symbology), filename: `${file}.png` }
      : { contentType: 'image/svg+xml', body: this.renderer.svg(pack, symbology), filename: `${file}.svg` };
  }
}
