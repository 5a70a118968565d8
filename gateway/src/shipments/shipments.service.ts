import { Injectable } from '@nestjs/common';
import { ShipmentAction } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { Ledger } from '../fabric/ledger';
import { CreateShipmentDto, ListShipmentsQuery, ShipmentResponse } from './shipment.dto';

/** Custody transfers between organisations. */
@Injectable()
export class ShipmentsService {
  constructor(private readonly ledger: Ledger) {}

  create(caller: Caller, request: CreateShipmentDto): Promise<ShipmentResponse> {
    return this.ledger.shipments.create(caller, request);
  }

  list(caller: Caller, query: ListShipmentsQuery): Promise<ShipmentResponse[]> {
    return this.ledger.shipments.list(caller, query.direction ?? '', query.status ?? '');
  }

  get(caller: Caller, id: string): Promise<ShipmentResponse> {
    return this.ledger.shipments.get(caller, id);
  }

  /** Receive or reject (the receiver), cancel (the sender); the reason only for a rejection. */
  settle(caller: Caller, id: string, action: ShipmentAction, reason?: string): Promise<ShipmentResponse> {
    const { shipments } = this.ledger;
    if (action === 'REJECT') return shipments.reject(caller, id, reason ?? '');
    return action === 'RECEIVE' ? shipments.receive(caller, id) : shipments.cancel(caller, id);
  }
}
