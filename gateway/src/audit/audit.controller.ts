import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { Allowed, CurrentCaller } from '../auth/decorators';
import { GtinPipe, LotPipe } from '../common/gs1-params';
import { AlertsQuery, AlertsResponse, WhereaboutsResponse } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('alerts')
  @Allowed('readAlerts')
  @ApiOkResponse({ type: AlertsResponse })
  alerts(@Query() query: AlertsQuery): Promise<AlertsResponse> {
    return this.audit.alerts(query);
  }

  /** The regulator, or the batch's own manufacturer (checked by the service). */
  @Get('batches/:gtin/:lot/whereabouts')
  @Allowed('manageBatch')
  @ApiOkResponse({ type: WhereaboutsResponse, description: 'packs per holder and state, for a recall' })
  whereabouts(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('lot', LotPipe) lot: string,
  ): Promise<WhereaboutsResponse> {
    return this.audit.whereabouts(caller, gtin, lot);
  }

  /** The regulator, or the batch's own manufacturer (checked by the chaincode). */
  @Get('batches/:gtin/:lot/epcis')
  @Allowed('manageBatch')
  @Header('Content-Type', 'application/ld+json')
  @ApiProduces('application/ld+json')
  @ApiOkResponse({ description: 'an EPCIS 2.0 EPCISDocument (JSON-LD), events oldest first' })
  epcis(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('lot', LotPipe) lot: string,
  ): Promise<object> {
    return this.audit.epcis(caller, gtin, lot);
  }
}
