import { Context } from 'fabric-contract-api';
import { LedgerEvent } from '../domain';
import { KEY } from './keys';
import { Unit } from './models';
import { toBytes } from './serialize';
import { Store } from './store';

// Fabric keeps one chaincode event per transaction: every transaction emits exactly one, named by its type.
export function emit(ctx: Context, event: LedgerEvent): void {
  ctx.stub.setEvent(event.type, toBytes(event));
}

/** Kept on the ledger too, so a batch's EPCIS story and a container's moves can be read back. */
export async function recordBatchEvent(store: Store, event: LedgerEvent, n = 0): Promise<void> {
  await store.put(
    KEY.batchEvent,
    [event.gtin ?? '', event.lot ?? '', event.at, event.txId, String(n)],
    event,
  );
}

export async function recordContainerEvent(store: Store, sscc: string, event: LedgerEvent): Promise<void> {
  await store.put(KEY.containerEvent, [sscc, event.at, event.txId], event);
}

/** One record per batch among moved units, so each batch's EPCIS export shows its own packs moving. */
export async function recordPerBatch(store: Store, units: Unit[], event: LedgerEvent): Promise<void> {
  const byBatch = new Map<string, Unit[]>();
  for (const u of units) {
    const id = `${u.gtin}|${u.lot}`;
    const group = byBatch.get(id);
    if (group) group.push(u);
    else byBatch.set(id, [u]);
  }
  let n = 0;
  for (const group of byBatch.values()) {
    const { gtin, lot } = group[0];
    await recordBatchEvent(
      store,
      { ...event, gtin, lot, serials: group.map((u) => u.serial), serialCount: group.length },
      n++,
    );
  }
}
