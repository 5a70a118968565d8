import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';
import { ShipmentIdPipe } from '../common/shipment-id.pipe';
import {
  CreateShipmentDto,
  ListShipmentsQuery,
  ReceiveShipmentDto,
  RejectShipmentDto,
  ShipmentListResponse,
  ShipmentManifestResponse,
  ShipmentResponse,
  TermsCheckResponse,
  TermsDocumentDto,
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
  list(@CurrentCaller() caller: Caller, @Query() query: ListShipmentsQuery): Promise<ShipmentListResponse> {
    return this.shipments.list(caller, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ShipmentResponse })
  get(@CurrentCaller() caller: Caller, @Param('id', ShipmentIdPipe) id: string): Promise<ShipmentResponse> {
    return this.shipments.get(caller, id);
  }

  @Post(':id/terms/check')
  @HttpCode(200)
  @ApiOkResponse({
    type: TermsCheckResponse,
    description: 'anyone who sees the shipment (the regulator too)',
  })
  checkTerms(
    @CurrentCaller() caller: Caller,
    @Param('id', ShipmentIdPipe) id: string,
    @Body() body: TermsDocumentDto,
  ): Promise<TermsCheckResponse> {
    return this.shipments.checkTerms(caller, id, body);
  }

  @Get(':id/manifest')
  @ApiOkResponse({ type: ShipmentManifestResponse, description: 'what the receiver should scan' })
  manifest(
    @CurrentCaller() caller: Caller,
    @Param('id', ShipmentIdPipe) id: string,
  ): Promise<ShipmentManifestResponse> {
    return this.shipments.manifest(caller, id);
  }

  @Post(':id/receive')
  @HttpCode(200)
  @ApiOkResponse({ type: ShipmentResponse })
  @ApiConflictResponse({ description: 'the scan does not match the shipment: problem+json with `report`' })
  receive(
    @CurrentCaller() caller: Caller,
    @Param('id', ShipmentIdPipe) id: string,
    @Body() body: ReceiveShipmentDto,
  ): Promise<ShipmentResponse> {
    return this.shipments.receive(caller, id, body);
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
