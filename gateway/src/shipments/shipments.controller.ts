import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';
import { ShipmentIdPipe } from '../common/shipment-id.pipe';
import { LedgerClient } from '../fabric/ledger-client';
import { CreateShipmentDto, ListShipmentsQuery, RejectShipmentDto } from './shipment.dto';

@ApiTags('shipments')
@ApiBearerAuth()
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(private readonly ledger: LedgerClient) {}

  @Post()
  async create(@CurrentCaller() caller: Caller, @Body() body: CreateShipmentDto): Promise<unknown> {
    return (await this.ledger.submit(caller, 'shipments', 'Create', JSON.stringify(body))).result;
  }

  @Get()
  async list(@CurrentCaller() caller: Caller, @Query() query: ListShipmentsQuery): Promise<{ shipments: unknown[] }> {
    const shipments = await this.ledger.evaluate<unknown[]>(caller, 'shipments', 'List', query.direction ?? '', query.status ?? '');
    return { shipments };
  }

  @Get(':id')
  async get(@CurrentCaller() caller: Caller, @Param('id', ShipmentIdPipe) id: string): Promise<unknown> {
    return this.ledger.evaluate(caller, 'shipments', 'Get', id);
  }

  @Post(':id/receive')
  @HttpCode(200)
  async receive(@CurrentCaller() caller: Caller, @Param('id', ShipmentIdPipe) id: string): Promise<unknown> {
    return (await this.ledger.submit(caller, 'shipments', 'Receive', id)).result;
  }

  @Post(':id/reject')
  @HttpCode(200)
  async reject(@CurrentCaller() caller: Caller, @Param('id', ShipmentIdPipe) id: string, @Body() body: RejectShipmentDto): Promise<unknown> {
    return (await this.ledger.submit(caller, 'shipments', 'Reject', id, body.reason)).result;
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@CurrentCaller() caller: Caller, @Param('id', ShipmentIdPipe) id: string): Promise<unknown> {
    return (await this.ledger.submit(caller, 'shipments', 'Cancel', id)).result;
  }
}
