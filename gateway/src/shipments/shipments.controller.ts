import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';
import { ShipmentIdPipe } from '../common/shipment-id.pipe';
import {
  CreateShipmentDto,
  ListShipmentsQuery,
  RejectShipmentDto,
  ShipmentListResponse,
  ShipmentResponse,
} from './shipment.dto';
import { ShipmentsService } from './shipments.service';

/** Sender, receiver and regulator see a shipment; the chaincode decides who may move it. */
@ApiTags('shipments')
@ApiBearerAuth()
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsService) {}

  @Post()
  @ApiCreatedResponse({ type: ShipmentResponse })
  create(@CurrentCaller() caller: Caller, @Body() body: CreateShipmentDto): Promise<ShipmentResponse> {
    return this.shipments.create(caller, body);
  }

  @Get()
  @ApiOkResponse({ type: ShipmentListResponse })
  async list(
    @CurrentCaller() caller: Caller,
    @Query() query: ListShipmentsQuery,
  ): Promise<ShipmentListResponse> {
    return { shipments: await this.shipments.list(caller, query) };
  }

  @Get(':id')
  @ApiOkResponse({ type: ShipmentResponse })
  get(@CurrentCaller() caller: Caller, @Param('id', ShipmentIdPipe) id: string): Promise<ShipmentResponse> {
    return this.shipments.get(caller, id);
  }

  @Post(':id/receive')
  @HttpCode(200)
  @ApiOkResponse({ type: ShipmentResponse })
  receive(
    @CurrentCaller() caller: Caller,
    @Param('id', ShipmentIdPipe) id: string,
  ): Promise<ShipmentResponse> {
    return this.shipments.settle(caller, id, 'RECEIVE');
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOkResponse({ type: ShipmentResponse })
  reject(
    @CurrentCaller() caller: Caller,
    @Param('id', ShipmentIdPipe) id: string,
    @Body() body: RejectShipmentDto,
  ): Promise<ShipmentResponse> {
    return this.shipments.settle(caller, id, 'REJECT', body.reason);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: ShipmentResponse })
  cancel(
    @CurrentCaller() caller: Caller,
    @Param('id', ShipmentIdPipe) id: string,
  ): Promise<ShipmentResponse> {
    return this.shipments.settle(caller, id, 'CANCEL');
  }
}
