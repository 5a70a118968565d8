import { createCompositeKey } from '@drugtrace/chaincode/replica';
import { DIALECTS } from '../../test/databases';
import { blockOf, BlockTx } from '../../test/blocks';
import { useReplica } from '../../test/replica-fixture';
import { BlockApplier } from './block-applier';

jest.setTimeout(60_000);

const GTIN = '09506000134352';
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const at = (s: number) => new Date(Date.UTC(2027, 0, 15, 9, 0, s));
const party = (msp: string) => ({ msp, gln: `${msp.length}`.padStart(13, '9') });

const unitWrite = (serial: string, msp: string, extra: Record<string, unknown> = {}) => ({
  key: createCompositeKey('unit', [GTIN, serial]),
  value: bytes({
    gtin: GTIN,
    serial,
    lot: 'A1',
    expiry: '2028-06-30',
    state: 'ACTIVE',
    custodian: party(msp),
    ...extra,
  }),
});
const batchWrite = (status: string) => ({
  key: createCompositeKey('batch', [GTIN, 'A1']),
  value: bytes({
    gtin: GTIN,
    lot: 'A1',
    expiry: '2028-06-30',
    manufacturer: 'ManufacturerMSP',
    quantity: 6,
    status,
    createdAt: at(0).toISOString(),
  }),
});
const statusTx = (txId: string, type: string, s: number): BlockTx => ({
  txId,
  timestamp: at(s),
  writes: [batchWrite(type)],
  event: {
    name: type,
    payload: bytes({
      type,
      at: at(s).toISOString(),
      org: 'RegulatorMSP',
      gln: '9',
      txId,
      gtin: GTIN,
      lot: 'A1',
      reason: 'falsified',
    }),
  },
});

/** A counterfeit scan's alert record, seen `count` times, last at second `s`. */
const alertKey = createCompositeKey('alert', ['0001', 'scan-2']);
const alert = (count: number, s: number) => ({
  key: alertKey,
  value: bytes({
    id: 'scan-2',
    gtin: GTIN,
    serial: 'FAKE',
    reasons: ['UNKNOWN_SERIAL'],
    org: 'PharmacyMSP',
    gln: '9506000030005',
    at: at(4).toISOString(),
    lastSeen: at(s).toISOString(),
    count,
  }),
});
const scanEvent = (type: string, s: number, reasons?: string[]) => ({
  name: type,
  payload: bytes({ type, at: at(s).toISOString(), org: 'PharmacyMSP', gln: '9506000030005', reasons }),
});

/** A scan at second `s` that raised the alert, the `count`th time it was seen. */
const scanAlertTx = (txId: string, count: number, s: number): BlockTx => ({
  txId,
  timestamp: at(s),
  writes: [alert(count, s)],
  event: scanEvent('ALERT', s, ['UNKNOWN_SERIAL']),
});

describe.each(DIALECTS)('applying blocks on %s', (_name, create) => {
  const r = useReplica(create);
  let applier: BlockApplier;
  beforeEach(() => {
    applier = new BlockApplier(r.db, r.replica, r.events, 'drugtrace');
  });

  it('tells each holder of a recalled batch its own count, custody read through containers; a release nobody', async () => {
    await applier.apply(
      blockOf(0, [
        {
          txId: 'commission',
          timestamp: at(1),
          writes: [
            batchWrite('RELEASED'),
            unitWrite('S1', 'DistributorMSP'),
            unitWrite('S2', 'DistributorMSP'),
            unitWrite('S3', 'ManufacturerMSP'),
            // Packed by the manufacturer in a case the pharmacy now holds: the pharmacy's.
            unitWrite('S4', 'ManufacturerMSP', { parent: '106141410000000015' }),
            unitWrite('S5', 'PharmacyMSP', { state: 'DISPENSED' }),
            unitWrite('S6', 'ManufacturerMSP', { shipmentId: 'ship-1' }),
            {
              key: createCompositeKey('container', ['106141410000000015']),
              value: bytes({ sscc: '106141410000000015', custodian: party('PharmacyMSP'), packed: true }),
            },
          ],
        },
      ]),
    );
    const recall = await applier.apply(blockOf(1, [statusTx('recall', 'RECALLED', 2)]));
    expect(recall.events.map((e) => [e.type, e.payload.org, e.payload.count])).toEqual([
      ['RECALLED', 'RegulatorMSP', undefined],
      ['RECALL_NOTICE', 'DistributorMSP', 2],
      ['RECALL_NOTICE', 'ManufacturerMSP', 2],
      ['RECALL_NOTICE', 'PharmacyMSP', 1],
    ]);
    expect(recall.events[1]).toMatchObject({
      block: 1,
      txId: 'recall#DistributorMSP',
      payload: {
        status: 'RECALLED',
        reason: 'falsified',
        by: 'RegulatorMSP',
        gtin: GTIN,
        lot: 'A1',
        txId: 'recall',
        myPacks: `/v1/batches/${GTIN}/A1/my-packs?state=ACTIVE`,
      },
    });
    const release = await applier.apply(blockOf(2, [statusTx('release', 'RELEASED', 3)]));
    expect(release.events.map((e) => e.type)).toEqual(['RELEASED']);
    // A block applied again (a follower resuming) records nothing twice.
    expect((await applier.apply(blockOf(1, [statusTx('recall', 'RECALLED', 2)]))).events).toEqual([]);
    expect((await r.events.since(0, ['RECALL_NOTICE'])).length).toBe(3);
    // The list of batches follows the batch's record.
    expect(await r.replica.tables.batches('ManufacturerMSP', undefined, 10)).toMatchObject([
      { gtin: GTIN, lot: 'A1', status: 'RELEASED', quantity: 6 },
    ]);
    expect(await r.replica.tables.batches('OtherMSP', undefined, 10)).toEqual([]);
  });

  it('adds each recorded scan by verdict and each alert occurrence by reason and place to its day', async () => {
    await applier.apply(
      blockOf(0, [
        { txId: 'scan-1', timestamp: at(4), writes: [], event: scanEvent('SCANNED', 4) },
        scanAlertTx('scan-2', 1, 5),
      ]),
    );
    const second = blockOf(1, [scanAlertTx('scan-3', 2, 6)]);
    await applier.apply(second);
    // Applied again: skipped, nothing counted twice.
    await applier.apply(second);
    expect(await r.replica.tables.daily('2027-01-15', '2027-01-15')).toEqual([
      { day: '2027-01-15', metric: 'alert', key: 'UNKNOWN_SERIAL', count: 2 },
      { day: '2027-01-15', metric: 'alertPlace', key: 'PharmacyMSP|9506000030005', count: 2 },
      { day: '2027-01-15', metric: 'scan', key: 'COUNTERFEIT', count: 2 },
      { day: '2027-01-15', metric: 'scan', key: 'GENUINE', count: 1 },
    ]);
    expect(await r.replica.tables.daily('2027-01-16', '2027-01-20')).toEqual([]);
  });
  it('counts an alert seen twice in one block once per occurrence: the second write is counted against the first', async () => {
    await applier.apply(blockOf(0, [scanAlertTx('scan-2', 1, 5), scanAlertTx('scan-3', 2, 6)]));
    expect(await r.replica.tables.daily('2027-01-15', '2027-01-15')).toEqual([
      { day: '2027-01-15', metric: 'alert', key: 'UNKNOWN_SERIAL', count: 2 },
      { day: '2027-01-15', metric: 'alertPlace', key: 'PharmacyMSP|9506000030005', count: 2 },
      { day: '2027-01-15', metric: 'scan', key: 'COUNTERFEIT', count: 2 },
    ]);
    // The key holds the block's last write, and both versions are kept.
    expect(JSON.parse(String(await r.replica.at(1).get(alertKey)))).toMatchObject({ count: 2 });
    expect((await r.replica.at(1).history(alertKey)).map((v) => v.txId)).toEqual(['scan-2', 'scan-3']);
  });

  it('fills the aggregate tables of a replica that predates them from what it holds, once', async () => {
    const DAY = 86_400; // seconds: at(DAY + s) is the next day
    await applier.apply(blockOf(0, [statusTx('commission', 'RELEASED', 1)]));
    await applier.apply(
      blockOf(1, [
        { txId: 'scan-1', timestamp: at(4), writes: [], event: scanEvent('SCANNED', 4) },
        scanAlertTx('scan-2', 1, 5),
      ]),
    );
    // The same alert seen again the next day: that occurrence is the next day's.
    await applier.apply(
      blockOf(2, [scanAlertTx('scan-3', 2, DAY + 6), statusTx('recall', 'RECALLED', DAY + 7)]),
    );
    const figures = async () => ({
      daily: await r.replica.tables.daily('2027-01-14', '2027-01-17'),
      batches: await r.replica.tables.batches(undefined, undefined, 10),
    });
    const kept = await figures();
    expect(kept.daily).toEqual([
      { day: '2027-01-15', metric: 'alert', key: 'UNKNOWN_SERIAL', count: 1 },
      { day: '2027-01-15', metric: 'alertPlace', key: 'PharmacyMSP|9506000030005', count: 1 },
      { day: '2027-01-15', metric: 'scan', key: 'COUNTERFEIT', count: 1 },
      { day: '2027-01-15', metric: 'scan', key: 'GENUINE', count: 1 },
      { day: '2027-01-16', metric: 'alert', key: 'UNKNOWN_SERIAL', count: 1 },
      { day: '2027-01-16', metric: 'alertPlace', key: 'PharmacyMSP|9506000030005', count: 1 },
      { day: '2027-01-16', metric: 'scan', key: 'COUNTERFEIT', count: 1 },
    ]);
    expect(kept.batches).toMatchObject([{ gtin: GTIN, lot: 'A1', status: 'RECALLED', quantity: 6 }]);

    // A database built before the tables: the replica and the events are there, the tables empty.
    await r.db.transaction((tx) => r.replica.tables.clear(tx));
    expect(await figures()).toEqual({ daily: [], batches: [] });
    await r.replica.tables.backfill(r.events);
    expect(await figures()).toEqual(kept);
    // Filled tables are left as they are: a second start-up counts nothing twice.
    await r.replica.tables.backfill(r.events);
    expect(await figures()).toEqual(kept);
    // And the blocks that follow add to them.
    await applier.apply(
      blockOf(3, [
        { txId: 'scan-4', timestamp: at(DAY + 8), writes: [], event: scanEvent('SCANNED', DAY + 8) },
      ]),
    );
    expect((await figures()).daily).toContainEqual({
      day: '2027-01-16',
      metric: 'scan',
      key: 'GENUINE',
      count: 1,
    });
  });
});
