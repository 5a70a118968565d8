import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { LedgerEvent, toEpcisDocument } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { CurrentCaller, Roles } from '../auth/decorators';
import { GtinPipe, LotPipe } from '../common/gs1-params';
import { LedgerClient } from '../fabric/ledger-client';

export class AlertsQuery {
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

@ApiTags('audit')
@ApiBearerAuth()
@Roles('REGULATOR')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly ledger: LedgerClient) {}

  @Get('alerts')
  async alerts(@CurrentCaller() caller: Caller, @Query() query: AlertsQuery): Promise<unknown> {
    return this.ledger.evaluate(caller, 'audit', 'Alerts', String(query.limit ?? 100));
  }

  @Get('batches/:gtin/:lot/epcis')
  @Header('Content-Type', 'application/ld+json')
  async epcis(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string, @Param('lot', LotPipe) lot: string): Promise<object> {
    const { events } = await this.ledger.evaluate<{ events: LedgerEvent[] }>(caller, 'audit', 'BatchEvents', gtin, lot);
    return toEpcisDocument(events, { gtin, lot, createdAt: new Date().toISOString() });
  }
}
