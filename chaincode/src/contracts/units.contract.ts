import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ContractOf, UnitsApi } from '../api';
import {
  assertGtin,
  assertPrescriptionList,
  assertUnitTransition,
  dispenseRefusal,
  DomainError,
  EventType,
  LedgerEvent,
  Party,
  REASON_MAX_LENGTH,
  refuse,
  revertRefusal,
  roleRefusal,
  SETTABLE_STATES,
  undoDispenseRefusal,
  UnitState,
} from '../domain';
import { Caller } from '../ledger/caller';
import { assertHolds, custodyOf } from '../ledger/custody';
import { emit, recordBatchEvent, recordPerBatch } from '../ledger/events';
import { KEY } from '../ledger/keys';
import {
  Batch,
  Container,
  DispenseResult,
  HistoryEvent,
  Unit,
  UnitHistory,
  UnitView,
} from '../ledger/models';
import { findUnit, getBatch, getUnit, putUnit, unitVersions, unitView } from '../ledger/records';
import { parseJson, requireText, session } from '../ledger/session';
import { Store } from '../ledger/store';

const MAX_TRAIL_DEPTH = 4;

/** A container's events in [from, to), and those of the containers it travelled in during that time. */
async function containerTrail(
  store: Store,
  sscc: string,
  from: string,
  to: string,
  depth: number,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  for await (const { value } of store.entries<LedgerEvent>(KEY.containerEvent, [sscc])) {
    if (
      value.at >= from &&
      value.at < to &&
      ['SHIPPED', 'RECEIVED', 'REJECTED', 'CANCELLED'].includes(value.type)
    ) {
      events.push({
        type: value.type,
        at: value.at,
        org: value.org,
        gln: value.gln,
        user: value.user,
        txId: value.txId,
        sscc,
        shipmentId: value.shipmentId,
      });
    }
  }
  if (depth >= MAX_TRAIL_DEPTH) return events;
  const versions = await store.history<Container>(KEY.container, [sscc]);
  for (let i = 0; i < versions.length; i++) {
    const parent = versions[i].value?.parent;
    if (!parent) continue;
    const start = versions[i].at > from ? versions[i].at : from;
    const end = versions[i + 1] && versions[i + 1].at < to ? versions[i + 1].at : to;
    if (start < end) events.push(...(await containerTrail(store, parent, start, end, depth + 1)));
  }
  return events;
}

@Info({
  title: 'Units',
  description: 'Serialized packs: state, custody chain, dispense and other decommissioning',
})
export class UnitsContract extends Contract implements ContractOf<UnitsApi, Context> {
  constructor() {
    super('units');
  }

  @Transaction(false)
  @Returns('UnitView')
  async Get(ctx: Context, gtin: string, serial: string): Promise<UnitView> {
    const { store } = await session(ctx);
    return unitView(store, await getUnit(store, gtin, serial));
  }

  /** The custody chain, oldest first: the unit's own changes and the moves of the containers it was packed in. */
  @Transaction(false)
  @Returns('UnitHistory')
  async History(ctx: Context, gtin: string, serial: string): Promise<UnitHistory> {
    const { store } = await session(ctx);
    const { commissioned, versions } = await unitVersions(store, await getUnit(store, gtin, serial));
    const events: HistoryEvent[] = commissioned ? [commissioned] : [];
    const far = '9999-12-31T23:59:59.999Z';
    for (let i = 0; i < versions.length; i++) {
      const { value, txId, at } = versions[i];
      if (!value) continue;
      const { last } = value;
      events.push({
        type: last.type,
        at,
        org: last.org,
        gln: last.gln,
        user: last.user,
        txId,
        sscc: last.sscc,
        shipmentId: last.shipmentId,
      });
      if (value.parent)
        events.push(...(await containerTrail(store, value.parent, at, versions[i + 1]?.at ?? far, 0)));
    }
    events.sort((a, b) => a.at.localeCompare(b.at));
    return { events };
  }

  @Transaction()
  @Returns('UnitView')
  async Dispense(ctx: Context, gtin: string, serial: string): Promise<UnitView> {
    const { store, caller } = await session(ctx);
    refuse(roleRefusal(caller, 'dispense'));
    const unit = await getUnit(store, gtin, serial);
    const batch = await getBatch(store, gtin, unit.lot);
    refuse(dispenseRefusal(caller, unit, batch.status, store.now().slice(0, 10)));
    return this.#decommission(ctx, store, caller, unit, 'DISPENSED', 'DISPENSED');
  }

  /**
   * A prescription: every listed pack, held by the caller at its own location, dispensed in one transaction,
   * or none (CONFLICT naming the first pack that blocks it). At most MAX_PRESCRIPTION_PACKS; the units come
   * back in the order listed, with one DISPENSED event. Each batch is read once.
   */
  @Transaction()
  @Returns('DispenseResult')
  async DispenseMany(ctx: Context, requestJson: string): Promise<DispenseResult> {
    const { store, caller } = await session(ctx);
    refuse(roleRefusal(caller, 'dispense'));
    const refs = parseJson<{ units?: unknown }>(requestJson, 'prescription').units;
    if (!Array.isArray(refs)) throw new DomainError('INVALID', 'units must be an array of {gtin, serial}');
    const units = refs.map((ref: { gtin?: unknown; serial?: unknown }) => {
      assertGtin(String(ref?.gtin));
      return { gtin: String(ref.gtin), serial: requireText(ref.serial, 'serial', 20) };
    });
    assertPrescriptionList(units);
    const today = store.now().slice(0, 10);
    const batches = new Map<string, Promise<Batch>>();
    const updated: Unit[] = [];
    for (const ref of units) {
      const what = `pack ${ref.gtin}/${ref.serial}`;
      const unit = await findUnit(store, ref.gtin, ref.serial);
      if (!unit) throw new DomainError('CONFLICT', `${what} was never commissioned`);
      const batchKey = `${unit.gtin}/${unit.lot}`;
      if (!batches.has(batchKey)) batches.set(batchKey, getBatch(store, unit.gtin, unit.lot));
      refuse(dispenseRefusal(caller, unit, (await batches.get(batchKey)!).status, today));
      const custody = await custodyOf(store, unit);
      assertHolds(custody, caller.msp, what);
      if (custody.custodian.gln !== caller.gln)
        throw new DomainError(
          'CONFLICT',
          `${what} is held at ${custody.custodian.gln}, not at ${caller.gln}`,
        );
      updated.push(await this.#taken(store, caller, unit, custody.custodian, 'DISPENSED', 'DISPENSED'));
    }
    for (const unit of updated) await putUnit(ctx, store, unit, [unit.custodian.msp]);
    const event: LedgerEvent = {
      type: 'DISPENSED',
      at: updated[0].last.at,
      org: caller.msp,
      gln: caller.gln,
      txId: store.txId(),
      serialCount: updated.length,
      status: 'DISPENSED',
    };
    await recordPerBatch(store, updated, event);
    emit(ctx, event);
    return { units: await Promise.all(updated.map((u) => unitView(store, u))) };
  }

  @Transaction()
  @Returns('UnitView')
  async UndoDispense(ctx: Context, gtin: string, serial: string): Promise<UnitView> {
    const { store, caller } = await session(ctx);
    refuse(roleRefusal(caller, 'dispense'));
    const unit = await getUnit(store, gtin, serial);
    refuse(undoDispenseRefusal(caller, unit));
    return this.#revert(ctx, store, caller, unit, 'DISPENSE_UNDONE');
  }

  /** Other decommissioning (destroyed, stolen, sample, exported) by the custodian, and reverting sample/export. */
  @Transaction()
  @Returns('UnitView')
  async SetState(
    ctx: Context,
    gtin: string,
    serial: string,
    state: string,
    reason: string,
  ): Promise<UnitView> {
    const { store, caller } = await session(ctx);
    requireText(reason, 'reason', REASON_MAX_LENGTH);
    const unit = await getUnit(store, gtin, serial);
    if (state === 'ACTIVE') {
      if (unit.state === 'DISPENSED')
        throw new DomainError('CONFLICT', 'use UndoDispense to revert a dispense');
      return this.#revert(ctx, store, caller, unit, 'STATUS_CHANGED', reason);
    }
    if (!SETTABLE_STATES.includes(state as UnitState)) {
      throw new DomainError('INVALID', `state must be ACTIVE or one of ${SETTABLE_STATES.join(', ')}`);
    }
    assertUnitTransition(unit.state, state as UnitState);
    return this.#decommission(ctx, store, caller, unit, state as UnitState, 'STATUS_CHANGED', reason);
  }

  async #decommission(
    ctx: Context,
    store: Store,
    caller: Caller,
    unit: Unit,
    state: UnitState,
    type: EventType,
    reason?: string,
  ): Promise<UnitView> {
    const what = `unit ${unit.gtin}/${unit.serial}`;
    const custody = await custodyOf(store, unit);
    assertHolds(custody, caller.msp, what);
    const updated = await this.#taken(store, caller, unit, custody.custodian, state, type);
    return this.#save(ctx, store, updated, type, state, reason);
  }

  /** The unit decommissioned by its custodian; a pack taken out of its case leaves the case (its content key). */
  async #taken(
    store: Store,
    caller: Caller,
    unit: Unit,
    custodian: Party,
    state: UnitState,
    type: EventType,
  ): Promise<Unit> {
    const now = store.now();
    if (unit.parent) await store.remove(KEY.content, [unit.parent, 'u', unit.gtin, unit.serial]);
    return {
      ...unit,
      state,
      custodian,
      parent: undefined,
      stateChangedAt: now,
      stateChangedBy: { msp: caller.msp, gln: caller.gln, user: caller.user },
      last: { type, at: now, org: caller.msp, gln: caller.gln, user: caller.user },
    };
  }

  async #revert(
    ctx: Context,
    store: Store,
    caller: Caller,
    unit: Unit,
    type: EventType,
    reason?: string,
  ): Promise<UnitView> {
    const batch = await getBatch(store, unit.gtin, unit.lot);
    const now = store.now();
    refuse(
      revertRefusal({
        state: unit.state,
        changedAt: unit.stateChangedAt,
        changedBy: unit.stateChangedBy,
        caller: { msp: caller.msp, gln: caller.gln, user: caller.user },
        now,
        expiry: unit.expiry,
        batchStatus: batch.status,
      }),
    );
    const updated: Unit = {
      ...unit,
      state: 'ACTIVE',
      stateChangedAt: now,
      stateChangedBy: { msp: caller.msp, gln: caller.gln, user: caller.user },
      last: { type, at: now, org: caller.msp, gln: caller.gln, user: caller.user },
    };
    return this.#save(ctx, store, updated, type, 'ACTIVE', reason);
  }

  /** Writes the unit and its event; `reason` is the custodian's reason for a SetState (kept in the event). */
  async #save(
    ctx: Context,
    store: Store,
    unit: Unit,
    type: EventType,
    status: UnitState,
    reason?: string,
  ): Promise<UnitView> {
    await putUnit(ctx, store, unit, [unit.custodian.msp]);
    const event: LedgerEvent = {
      type,
      at: unit.last.at,
      org: unit.last.org,
      gln: unit.last.gln,
      user: unit.last.user,
      txId: store.txId(),
      gtin: unit.gtin,
      lot: unit.lot,
      serial: unit.serial,
      status,
      reason,
    };
    await recordBatchEvent(store, event);
    emit(ctx, event);
    return unitView(store, unit);
  }
}
