import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { BatchesApi, CommissionRequest, ContractOf } from '../api';
import {
  assertIdempotencyKey,
  assertIsoDate,
  assertLot,
  assertSameCommission,
  assertSerial,
  BatchAction,
  batchStatusRefusal,
  CommissionRecord,
  commissionRequestHash,
  DomainError,
  LedgerEvent,
  MAX_COMMISSION_BATCH,
  MAX_GENERATED_BATCH,
  MAX_SERIAL_PAGE,
  nextBatchStatus,
  Agent,
  productOwnerRefusal,
  REASON_MAX_LENGTH,
  refuse,
  roleRefusal,
} from '../domain';
import { countBatch } from '../ledger/batch-counts';
import { setCustodyPolicy } from '../ledger/endorsement';
import { emit, recordBatchEvent } from '../ledger/events';
import { KEY } from '../ledger/keys';
import { Batch, BatchView, CommissionResult, Org, Product, SerialChunk, SerialPage } from '../ledger/models';
import { assertBatchAuthority } from '../ledger/authority';
import { getBatch } from '../ledger/records';
import { batchUnits, commissionChunk, commissionGiven, serialsPage } from '../ledger/serial-chunks';
import { parseJson, requireInt, requireText, session } from '../ledger/session';
import { Store } from '../ledger/store';

/** How many serials an event or batch-event record lists; beyond that it counts them. */
const LISTED_SERIALS = 1000;

/** The serials a request gives, checked; undefined for a request by quantity (checked). */
function givenSerials(input: CommissionRequest): string[] | undefined {
  if (input.serials !== undefined) {
    if (!Array.isArray(input.serials) || input.serials.length === 0)
      throw new DomainError('INVALID', 'serials must be a non-empty array');
    if (input.quantity !== undefined) throw new DomainError('INVALID', 'give serials or quantity, not both');
    if (input.serials.length > MAX_COMMISSION_BATCH)
      throw new DomainError('INVALID', `at most ${MAX_COMMISSION_BATCH} serials per request`);
    const seen = new Set<string>();
    for (const serial of input.serials) {
      if (typeof serial !== 'string') throw new DomainError('INVALID', 'serials must be strings');
      assertSerial(serial);
      if (seen.has(serial))
        throw new DomainError('CONFLICT', `serial ${serial} appears twice in the request`);
      seen.add(serial);
    }
    return input.serials;
  }
  const quantity = input.quantity;
  if (!Number.isInteger(quantity) || (quantity as number) < 1 || (quantity as number) > MAX_GENERATED_BATCH) {
    throw new DomainError('INVALID', `quantity must be an integer in 1..${MAX_GENERATED_BATCH}`);
  }
  return undefined;
}

/**
 * The answer to a repeat of a commission recorded under its idempotency key: the first transaction's serials
 * (given ones are in the request, generated ones derive from its transaction ID) and nothing written.
 */
async function replay(
  store: Store,
  input: CommissionRequest,
  record: CommissionRecord,
): Promise<CommissionResult> {
  assertSameCommission(record, commissionRequestHash(input));
  const batch = await getBatch(store, record.gtin, record.lot);
  return {
    gtin: batch.gtin,
    lot: batch.lot,
    expiry: batch.expiry,
    status: batch.status,
    unitCount: record.unitCount,
    serials: record.prefix
      ? (await store.get<SerialChunk>(KEY.serialChunk, [record.gtin, record.prefix], 'serial chunk')).serials
      : input.serials!,
    replayed: true,
  };
}

@Info({
  title: 'Batches',
  description: 'Batches, bulk commissioning of serialized packs, recall, quarantine, release',
})
export class BatchesContract extends Contract implements ContractOf<BatchesApi, Context> {
  constructor() {
    super('batches');
  }

  @Transaction()
  @Returns('CommissionResult')
  async Commission(ctx: Context, requestJson: string): Promise<CommissionResult> {
    const { store, caller } = await session(ctx);
    refuse(roleRefusal(caller, 'commission'));
    const input = parseJson<CommissionRequest>(requestJson, 'batch');
    const gtin = requireText(input.gtin, 'gtin', 14);
    refuse(productOwnerRefusal(caller, await store.get<Product>(KEY.product, [gtin], `product ${gtin}`)));
    assertLot(requireText(input.lot, 'lot', 20));
    assertIsoDate(requireText(input.expiry, 'expiry', 10), 'expiry');
    assertIsoDate(requireText(input.manufacturedOn, 'manufacturedOn', 10), 'manufacturedOn');
    if (input.manufacturedOn > input.expiry)
      throw new DomainError('INVALID', 'manufacturedOn is after expiry');
    const given = givenSerials(input);
    const key = input.idempotencyKey;
    if (key !== undefined) {
      assertIdempotencyKey(key);
      const record = await store.find<CommissionRecord>(KEY.commission, [caller.msp, key]);
      if (record) return replay(store, input, record);
    }
    const now = store.now();
    const existing = await store.find<Batch>(KEY.batch, [gtin, input.lot]);
    if (existing && (existing.manufacturer !== caller.msp || existing.expiry !== input.expiry)) {
      throw new DomainError(
        'CONFLICT',
        `batch ${gtin}/${input.lot} exists with another manufacturer or expiry`,
      );
    }
    if (existing?.status === 'RECALLED')
      throw new DomainError('CONFLICT', `batch ${gtin}/${input.lot} is recalled`);
    const batch: Batch = existing ?? {
      gtin,
      lot: input.lot,
      expiry: input.expiry,
      manufacturedOn: input.manufacturedOn,
      manufacturer: caller.msp,
      quantity: 0,
      status: 'RELEASED',
      createdAt: now,
    };
    const at: Agent = { msp: caller.msp, gln: caller.gln, user: caller.user };
    const { serials, prefix } = given
      ? { serials: await commissionGiven(ctx, store, batch, at, given), prefix: undefined }
      : await commissionChunk(ctx, store, batch, at, input.quantity as number);
    batch.quantity += serials.length;
    await store.put(KEY.batch, [gtin, batch.lot], batch);
    const event: LedgerEvent = {
      type: 'COMMISSIONED',
      at: now,
      org: caller.msp,
      gln: caller.gln,
      user: caller.user,
      txId: store.txId(),
      gtin,
      lot: batch.lot,
      serialCount: serials.length,
      serials: serials.slice(0, LISTED_SERIALS),
    };
    await recordBatchEvent(store, event);
    emit(ctx, event);
    if (key !== undefined) {
      const record: CommissionRecord = {
        key,
        requestHash: commissionRequestHash(input),
        txId: store.txId(),
        gtin,
        lot: batch.lot,
        unitCount: serials.length,
        at: now,
        prefix,
      };
      // Manufacturer and regulator: no other organisation pair can rewrite what a repeat answers.
      await setCustodyPolicy(ctx, store, await store.put(KEY.commission, [caller.msp, key], record), [
        caller.msp,
      ]);
    }
    return {
      gtin,
      lot: batch.lot,
      expiry: batch.expiry,
      status: batch.status,
      unitCount: serials.length,
      serials,
    };
  }

  @Transaction(false)
  @Returns('BatchView')
  async Get(ctx: Context, gtin: string, lot: string): Promise<BatchView> {
    const { store } = await session(ctx);
    const batch = await getBatch(store, gtin, lot);
    return { ...batch, counts: await countBatch(store, batchUnits(store, gtin, lot)) };
  }

  @Transaction(false)
  @Returns('SerialPage')
  async ListSerials(
    ctx: Context,
    gtin: string,
    lot: string,
    pageSize: string,
    bookmark: string,
  ): Promise<SerialPage> {
    // Every valid serial of a batch is what a counterfeiter needs: only its manufacturer and the regulator.
    const { store, caller } = await session(ctx);
    assertBatchAuthority(caller, await getBatch(store, gtin, lot));
    return serialsPage(store, gtin, lot, requireInt(pageSize, 'pageSize', 1, MAX_SERIAL_PAGE), bookmark);
  }

  @Transaction()
  @Returns('Batch')
  async Recall(ctx: Context, gtin: string, lot: string, reason: string): Promise<Batch> {
    return this.#changeStatus(ctx, gtin, lot, 'RECALL', reason);
  }

  @Transaction()
  @Returns('Batch')
  async Quarantine(ctx: Context, gtin: string, lot: string, reason: string): Promise<Batch> {
    return this.#changeStatus(ctx, gtin, lot, 'QUARANTINE', reason);
  }

  @Transaction()
  @Returns('Batch')
  async Release(ctx: Context, gtin: string, lot: string, reason: string): Promise<Batch> {
    return this.#changeStatus(ctx, gtin, lot, 'RELEASE', reason);
  }

  async #changeStatus(
    ctx: Context,
    gtin: string,
    lot: string,
    action: BatchAction,
    reason: string,
  ): Promise<Batch> {
    const { store, caller } = await session(ctx);
    const batch = await getBatch(store, gtin, lot);
    // Who set the current status, by role: the registry knows the role of the organisation it names.
    const setter = batch.statusBy ? await store.find<Org>(KEY.org, [batch.statusBy]) : undefined;
    refuse(batchStatusRefusal(caller, { ...batch, statusByRole: setter?.role }));
    requireText(reason, 'reason', REASON_MAX_LENGTH);
    const status = nextBatchStatus(batch.status, action);
    const now = store.now();
    const updated: Batch = { ...batch, status, statusReason: reason, statusBy: caller.msp, statusAt: now };
    await store.put(KEY.batch, [gtin, lot], updated);
    const event: LedgerEvent = {
      type: status === 'RELEASED' ? 'RELEASED' : status,
      at: now,
      org: caller.msp,
      gln: caller.gln,
      user: caller.user,
      txId: store.txId(),
      gtin,
      lot,
      serialCount: batch.quantity,
      status,
      reason,
    };
    await recordBatchEvent(store, event);
    emit(ctx, event);
    return updated;
  }
}
