// How long the replica takes to apply a commissioning block, on SQLite and on the real PostgreSQL server (the unit
// tests' one): one chunk of MAX_GENERATED_BATCH generated serials (one key), and MAX_COMMISSION_BATCH given serials
// (a unit key and a batch index entry each). Not part of `npm test`; run from gateway/:
//   npx jest --testMatch '**/chunk-apply.bench.ts' --runInBand
// BENCH_CHUNK_RUNS (default 5) blocks per case, each into a fresh database. Prints ms per block.
import { createCompositeKey, KEY } from '@drugtrace/chaincode/replica';
import { MAX_COMMISSION_BATCH, MAX_GENERATED_BATCH } from '@drugtrace/chaincode/domain';
import { performance } from 'node:perf_hooks';
import { blockOf } from './blocks';
import { DIALECTS } from './databases';
import { decodeBlock, DecodedBlock } from '../src/replica/block-decoder';
import { ReplicaStore } from '../src/replica/replica-store';

jest.setTimeout(600_000);

const RUNS = Number(process.env.BENCH_CHUNK_RUNS ?? 5);
const GTIN = '09506000134352';
const MAKER = { msp: 'ManufacturerMSP', gln: '9506000000003' };
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const blockWith = (writes: { key: string; value: Uint8Array }[]): DecodedBlock =>
  decodeBlock(blockOf(0, [{ txId: 'commission', timestamp: new Date(), writes }]), 'drugtrace');

const generated = Array.from({ length: MAX_GENERATED_BATCH }, (_, i) => `K7QZ${String(i).padStart(8, '0')}`);
const given = Array.from({ length: MAX_COMMISSION_BATCH }, (_, i) => `G${String(i).padStart(8, '0')}`);
const CASES: [string, DecodedBlock, number][] = [
  [
    `one chunk of ${generated.length} serials`,
    blockWith([
      {
        key: createCompositeKey(KEY.serialChunk, [GTIN, 'K7QZ']),
        value: bytes({
          gtin: GTIN,
          lot: 'A1',
          expiry: '2028-06-30',
          prefix: 'K7QZ',
          serials: generated,
          manufacturer: MAKER.msp,
          gln: MAKER.gln,
          at: new Date().toISOString(),
          txId: 'commission',
        }),
      },
    ]),
    generated.length,
  ],
  [
    `${given.length} given serials`,
    blockWith(
      given.flatMap((serial) => [
        {
          key: createCompositeKey(KEY.unit, [GTIN, serial]),
          value: bytes({
            gtin: GTIN,
            serial,
            lot: 'A1',
            expiry: '2028-06-30',
            state: 'ACTIVE',
            custodian: MAKER,
          }),
        },
        { key: createCompositeKey(KEY.batchUnit, [GTIN, 'A1', serial]), value: new Uint8Array([0]) },
      ]),
    ),
    given.length,
  ],
];

describe.each(DIALECTS)('on %s', (name, create) => {
  it.each(CASES)('applies a block of %s', async (what, block, packs) => {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const server = await create();
      const db = server.open();
      try {
        const replica = new ReplicaStore(db);
        await replica.migrate();
        const started = performance.now();
        await db.transaction((tx) => replica.applyBlock(tx, block));
        times.push(performance.now() - started);
        expect(await replica.unitGroups(GTIN, 'A1')).toMatchObject([{ count: packs }]);
      } finally {
        await db.close();
        await server.drop();
      }
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `${name}: a block of ${what} in ${sorted[Math.floor(RUNS / 2)].toFixed(1)} ms ` +
        `(median of ${RUNS}; ${sorted.map((t) => t.toFixed(0)).join(', ')} ms)`,
    );
  });
});
