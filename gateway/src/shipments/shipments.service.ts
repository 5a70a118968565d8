import { Injectable } from '@nestjs/common';
import { ShipmentAction } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { LedgerClient } from '../fabric/ledger-client';
import { ReadModel } from '../replica/read-model';
import { CreateShipmentDto, ListShipmentsQuery, ShipmentResponse } from './shipment.dto';

const ACTION_TX: Record<ShipmentAction, string> = { RECEIVE: 'Receive', REJECT: 'Reject', CANCEL: 'Cancel' };

/** Custody transfers between organisations. */
@Injectable()
export class ShipmentsService {
  constructor(
    private readonly ledger: LedgerClient,
    private readonly reads: ReadModel,
  ) {}

  create(caller: Caller, request: CreateShipmentDto): Promise<ShipmentResponse> {
    return this.ledger.submit<ShipmentResponse>(caller, 'shipments', 'Create', JSON.stringify(request));
  }

  list(caller: Caller, query: ListShipmentsQuery): Promise<ShipmentResponse[]> {
    return this.reads.evaluate<ShipmentResponse[]>(
      caller,
      'shipments',
      'List',
      query.direction ?? '',
      query.status ?? '',
    );
  }

  get(caller: Caller, id: string): Promise<ShipmentResponse> {
    return this.reads.evaluate<ShipmentResponse>(caller, 'shipments', 'Get', id);
  }

  /** Receive or reject (the receiver), cancel (the sender); the reason only for a rejection. */
  settle(caller: Caller, id: string, action: ShipmentAction, reason?: string): Promise<ShipmentResponse> {
    const args = action === 'REJECT' ? [id, reason ?? ''] : [id];
    return this.ledger.submit<ShipmentResponse>(caller, 'shipments', ACTION_TX[action], ...args);
  }
}
