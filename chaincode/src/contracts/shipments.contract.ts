import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ContractOf, ShipmentRequest, ShipmentsApi } from '../api';
import {
  assertGln,
  DomainError,
  EventType,
  LedgerEvent,
  MAX_SHIPMENT_LIST,
  nextShipmentStatus,
  Party,
  REASON_MAX_LENGTH,
  refuse,
  shipmentActionRefusal,
  ShipmentAction,
  shipmentReadRefusal,
  SHIPMENT_STATUSES,
} from '../domain';
import { emit, recordContainerEvent, recordPerBatch } from '../ledger/events';
import { KEY } from '../ledger/keys';
import { Org, Shipment } from '../ledger/models';
import { Store } from '../ledger/store';
import { assertMovable, Goods, loadGoods, saveGoods } from '../ledger/goods';
import { getShipment } from '../ledger/records';
import { parseJson, requireText, session } from '../ledger/session';

@Info({ title: 'Shipments', description: 'Custody transfers: ship, receive, reject, cancel' })
export class ShipmentsContract extends Contract implements ContractOf<ShipmentsApi, Context> {
  constructor() {
    super('shipments');
  }

  @Transaction()
  @Returns('Shipment')
  async Create(ctx: Context, requestJson: string): Promise<Shipment> {
    const { store, caller } = await session(ctx);
    const input = parseJson<ShipmentRequest>(requestJson, 'shipment');
    requireText(input.to, 'to', 64);
    assertGln(String(input.toGln));
    const receiver = await store.find<Org>(KEY.org, [input.to]);
    if (!receiver) throw new DomainError('NOT_FOUND', `organisation ${input.to} is not admitted`);
    if (!receiver.glns.includes(input.toGln))
      throw new DomainError('INVALID', `GLN ${input.toGln} is not a location of ${input.to}`);
    if (input.to === caller.msp) throw new DomainError('INVALID', 'a shipment goes to another organisation');
    const goods = await loadGoods(store, input.units ?? [], input.containers ?? []);
    assertMovable(goods, caller.msp);
    const id = store.txId();
    const now = store.now();
    const from: Party = { msp: caller.msp, gln: caller.gln };
    const to: Party = { msp: input.to, gln: input.toGln };
    const last = { type: 'SHIPPED', at: now, org: caller.msp, gln: caller.gln, shipmentId: id };
    await saveGoods(ctx, store, goods, (item) => Object.assign(item, { shipmentId: id, last }), [
      from.msp,
      to.msp,
    ]);
    const shipment: Shipment = {
      id,
      from,
      to,
      status: 'IN_TRANSIT',
      units: goods.units.map((u) => ({ gtin: u.gtin, serial: u.serial })),
      containers: goods.containers.map((c) => c.sscc),
      createdAt: now,
      updatedAt: now,
    };
    await store.put(KEY.shipment, [id], shipment);
    await store.index(KEY.shipmentByOrg, [from.msp, 'out', id]);
    await store.index(KEY.shipmentByOrg, [to.msp, 'in', id]);
    await this.#record(ctx, store, goods, {
      type: 'SHIPPED',
      at: now,
      org: caller.msp,
      gln: caller.gln,
      txId: id,
      shipmentId: id,
      to,
    });
    return shipment;
  }

  @Transaction()
  @Returns('Shipment')
  async Receive(ctx: Context, id: string): Promise<Shipment> {
    return this.#close(ctx, id, 'RECEIVE', '');
  }

  @Transaction()
  @Returns('Shipment')
  async Reject(ctx: Context, id: string, reason: string): Promise<Shipment> {
    return this.#close(ctx, id, 'REJECT', requireText(reason, 'reason', REASON_MAX_LENGTH));
  }

  @Transaction()
  @Returns('Shipment')
  async Cancel(ctx: Context, id: string): Promise<Shipment> {
    return this.#close(ctx, id, 'CANCEL', '');
  }

  @Transaction(false)
  @Returns('Shipment')
  async Get(ctx: Context, id: string): Promise<Shipment> {
    const { store, caller } = await session(ctx);
    const shipment = await getShipment(store, id);
    refuse(shipmentReadRefusal(caller, shipment));
    return shipment;
  }

  /** The caller organisation's shipments, newest first; direction 'incoming', 'outgoing' or '' for both. */
  @Transaction(false)
  @Returns('Shipment[]')
  async List(ctx: Context, direction: string, status: string): Promise<Shipment[]> {
    const { store, caller } = await session(ctx);
    if (!['incoming', 'outgoing', ''].includes(direction))
      throw new DomainError('INVALID', 'direction must be incoming or outgoing');
    if (status && !(SHIPMENT_STATUSES as readonly string[]).includes(status)) {
      throw new DomainError('INVALID', `status must be one of ${SHIPMENT_STATUSES.join(', ')}`);
    }
    const partial = direction === '' ? [caller.msp] : [caller.msp, direction === 'incoming' ? 'in' : 'out'];
    const shipments: Shipment[] = [];
    for await (const { attrs } of store.entries(KEY.shipmentByOrg, partial)) {
      const shipment = await getShipment(store, attrs[2]);
      if (!status || shipment.status === status) shipments.push(shipment);
    }
    shipments.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
    return shipments.slice(0, MAX_SHIPMENT_LIST);
  }

  async #close(ctx: Context, id: string, action: ShipmentAction, reason: string): Promise<Shipment> {
    const { store, caller } = await session(ctx);
    const shipment = await getShipment(store, id);
    refuse(shipmentActionRefusal(caller, shipment, action));
    const status = nextShipmentStatus(shipment.status, action);
    const goods = await loadGoods(store, shipment.units, shipment.containers);
    const custodian = action === 'RECEIVE' ? shipment.to : shipment.from;
    const now = store.now();
    const type: EventType =
      status === 'RECEIVED' ? 'RECEIVED' : status === 'REJECTED' ? 'REJECTED' : 'CANCELLED';
    const last = { type, at: now, org: caller.msp, gln: caller.gln, shipmentId: id };
    await saveGoods(
      ctx,
      store,
      goods,
      (item) => Object.assign(item, { shipmentId: undefined, custodian, last }),
      [custodian.msp],
    );
    const updated: Shipment = { ...shipment, status, updatedAt: now, ...(reason ? { reason } : {}) };
    await store.put(KEY.shipment, [id], updated);
    await this.#record(ctx, store, goods, {
      type,
      at: now,
      org: caller.msp,
      gln: caller.gln,
      txId: store.txId(),
      shipmentId: id,
      from: shipment.from,
      to: shipment.to,
    });
    return updated;
  }

  async #record(ctx: Context, store: Store, goods: Goods, event: LedgerEvent): Promise<void> {
    for (const c of goods.containers) await recordContainerEvent(store, c.sscc, { ...event, sscc: c.sscc });
    await recordPerBatch(store, goods.units, event);
    emit(ctx, {
      ...event,
      serialCount: goods.units.length,
      sscc: goods.containers.length === 1 ? goods.containers[0].sscc : undefined,
    });
  }
}
