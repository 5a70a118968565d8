import { Injectable } from '@nestjs/common';
import { DEFAULT_BATCHES_PAGE, DEFAULT_MY_PACKS_PAGE, UnitState } from '@drugtrace/chaincode/domain';
import { custodyOnReplica } from '@drugtrace/chaincode/replica';
import { Caller } from '../auth/caller';
import { invalidFields } from '../common/validation';
import { Ledger } from '../fabric/ledger';
import { decodeCursor, encodeCursor } from '../replica/lists/list-cursor';
import { ledgerPosition } from '../replica/ledger-position';
import { ReadModel } from '../replica/read-model';
import { ReplicaStore } from '../replica/replica-store';
import { BatchListResponse, MyPackResponse, MyPacksResponse } from './batch.dto';

/** Pack rows read per step while looking for the caller's packs. */
const UNIT_STEP = 500;

/** Lists from the read model: a manufacturer's batches with their counts, an organisation's packs of a batch. */
@Injectable()
export class BatchListsService {
  constructor(
    private readonly ledger: Ledger,
    private readonly read: ReadModel,
    private readonly replica: ReplicaStore,
  ) {}

  /**
   * The manufacturer's own batches (the regulator: everyone's), a page at a time, each read through the
   * contract (batches:Get over the replica) for its status and counts.
   */
  async batches(caller: Caller, limit = DEFAULT_BATCHES_PAGE, cursor?: string): Promise<BatchListResponse> {
    const after = cursor ? decodeCursor('batches', cursor) : undefined;
    const maker = caller.role === 'REGULATOR' ? undefined : caller.mspId;
    const { value: rows, block } = await this.read.snapshot(() =>
      this.replica.tables.batches(maker, after, limit + 1),
    );
    const page = rows.slice(0, limit);
    const batches = [];
    for (const row of page) batches.push(await this.ledger.batches.get(caller, row.gtin, row.lot));
    const last = page[page.length - 1];
    return {
      batches,
      ...(rows.length > limit ? { next: encodeCursor('batches', [last.gtin, last.lot]) } : {}),
      asOfBlock: Math.max(block, ledgerPosition()?.block ?? -1),
    };
  }

  /**
   * The caller's organisation's packs of a batch (custody by the contract's rule: a packed pack is its outermost
   * container's), in serial order, optionally in one state: where a recall notice points.
   */
  async myPacks(
    caller: Caller,
    gtin: string,
    lot: string,
    limit = DEFAULT_MY_PACKS_PAGE,
    cursor?: string,
    state?: UnitState,
  ): Promise<MyPacksResponse> {
    const batchKey = `${gtin}/${lot}`;
    const [pages, start] = cursor ? decodeCursor('myPacks', cursor) : [batchKey, ''];
    if (pages !== batchKey)
      throw invalidFields(
        [{ field: 'cursor', messages: [`cursor pages batch ${pages}, not ${batchKey}`] }],
        1,
      );
    // The batch must exist and the caller may read it: the contract's own answer.
    const batch = await this.ledger.batches.get(caller, gtin, lot);
    const { value: packs, block } = await this.read.snapshot(async (world) => {
      const found: MyPackResponse[] = [];
      for (let after = start; found.length <= limit;) {
        const rows = await this.replica.units(gtin, lot, after, UNIT_STEP);
        const custody = await custodyOnReplica(world, rows);
        for (const [i, row] of rows.entries()) {
          const c = custody[i];
          if (c.custodian.msp !== caller.mspId || (state && row.state !== state)) continue;
          found.push({
            serial: row.serial,
            state: row.state,
            gln: c.custodian.gln,
            inTransit: c.inTransit && row.state === 'ACTIVE',
            ...(c.top ? { sscc: c.top } : {}),
            ...(c.shipmentId ? { shipmentId: c.shipmentId } : {}),
          });
          if (found.length > limit) break;
        }
        if (rows.length < UNIT_STEP) break;
        after = rows[rows.length - 1].serial;
      }
      return found;
    });
    const page = packs.slice(0, limit);
    return {
      gtin,
      lot,
      status: batch.status,
      msp: caller.mspId,
      packs: page,
      ...(packs.length > limit
        ? { next: encodeCursor('myPacks', [batchKey, page[page.length - 1].serial]) }
        : {}),
      asOfBlock: block,
    };
  }
}
