import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DomainError } from '@drugtrace/chaincode/domain';
import { Response } from 'express';
import { Caller } from '../auth/caller';
import { CurrentCaller, Roles } from '../auth/decorators';
import { GtinPipe, LotPipe } from '../common/gs1-params';
import { LedgerClient } from '../fabric/ledger-client';
import { LabelRenderer, Pack, Symbology } from './label-renderer';

export class LabelsQuery {
  @ApiPropertyOptional({ enum: ['pdf', 'png', 'svg'], default: 'pdf' }) @IsOptional() @IsIn(['pdf', 'png', 'svg']) format?: 'pdf' | 'png' | 'svg';
  @ApiPropertyOptional({ enum: ['qr', 'datamatrix'], default: 'datamatrix' }) @IsOptional() @IsIn(['qr', 'datamatrix']) symbology?: Symbology;
  @ApiPropertyOptional({ description: 'the pack, for png and svg' }) @IsOptional() @IsString() @MaxLength(20) serial?: string;
}

const MAX_SHEET = 5000;
const PAGE = 1000;

@ApiTags('batches')
@ApiBearerAuth()
@Controller('v1/batches/:gtin/:lot/labels')
export class LabelsController {
  constructor(
    private readonly ledger: LedgerClient,
    private readonly renderer: LabelRenderer,
  ) {}

  @Get()
  @Roles('MANUFACTURER')
  @ApiProduces('application/pdf', 'image/png', 'image/svg+xml')
  async labels(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('lot', LotPipe) lot: string,
    @Query() query: LabelsQuery,
    @Res() res: Response,
  ): Promise<void> {
    const format = query.format ?? 'pdf';
    const symbology = query.symbology ?? 'datamatrix';
    const batch = await this.ledger.evaluate<{ expiry: string; manufacturer: string; quantity: number }>(caller, 'batches', 'Get', gtin, lot);
    if (batch.manufacturer !== caller.mspId) throw new DomainError('FORBIDDEN', `labels of ${gtin}/${lot} are printed by ${batch.manufacturer}`);
    if (format !== 'pdf') {
      if (!query.serial) throw new DomainError('INVALID', `format ${format} renders one pack: add ?serial=`);
      const unit = await this.ledger.evaluate<{ lot: string }>(caller, 'units', 'Get', gtin, query.serial);
      if (unit.lot !== lot) throw new DomainError('NOT_FOUND', `serial ${query.serial} is not in lot ${lot}`);
      const pack: Pack = { gtin, lot, expiry: batch.expiry, serial: query.serial };
      if (format === 'png') res.type('image/png').send(await this.renderer.png(pack, symbology));
      else res.type('image/svg+xml').send(this.renderer.svg(pack, symbology));
      return;
    }
    if (batch.quantity > MAX_SHEET) throw new DomainError('INVALID', `a sheet holds at most ${MAX_SHEET} labels; this batch has ${batch.quantity}`);
    const serials: string[] = [];
    let bookmark = '';
    do {
      const page = await this.ledger.evaluate<{ serials: string[]; bookmark: string }>(caller, 'batches', 'ListSerials', gtin, lot, String(PAGE), bookmark);
      serials.push(...page.serials);
      bookmark = page.bookmark;
    } while (bookmark && serials.length < MAX_SHEET);
    const pdf = await this.renderer.pdf(serials.map((serial) => ({ gtin, lot, expiry: batch.expiry, serial })), symbology, `Labels ${gtin} ${lot}`);
    res.type('application/pdf').setHeader('Content-Disposition', `attachment; filename="labels-${gtin}-${lot}.pdf"`);
    res.send(pdf);
  }
}
