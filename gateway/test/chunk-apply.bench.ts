// How long the replica takes to apply a block that commissions one chunk of 10,000 generated serials, on SQLite
// and on the real PostgreSQL server (the unit tests' one). Not part of `npm test`; run from gateway/:
//   npx jest --testMatch '**/chunk-apply.bench.ts' --runInBand
// BENCH_CHUNK_RUNS (default 5) blocks per dialect, each into a fresh database. Prints ms per block.
import { createCompositeKey } from '@drugtrace/chaincode/replica';
import { MAX_GENERATED_BATCH } from '@drugtrace/chaincode/domain';
import { performance } from 'node:perf_hooks';
import { blockOf } from './blocks';
import { DIALECTS } from './databases';
import { decodeBlock } from '../src/replica/block-decoder';
import { ReplicaStore } from '../src/replica/replica-store';

jest.setTimeout(600_000);

const RUNS = Number(process.env.BENCH_CHUNK_RUNS ?? 5);
const GTIN = '09506000134352';
const serials = Array.from({ length: MAX_GENERATED_BATCH }, (_, i) => `K7QZ${String(i).padStart(8, '0')}`);
const block = decodeBlock(
  blockOf(0, [
    {
      txId: 'commission',
      timestamp: new Date(),
      writes: [
        {
          key: createCompositeKey('serials', [GTIN, 'K7QZ']),
          value: new TextEncoder().encode(
            JSON.stringify({
              gtin: GTIN,
              lot: 'A1',
              expiry: '2028-06-30',
              prefix: 'K7QZ',
              serials,
              manufacturer: 'ManufacturerMSP',
              gln: '9506000000003',
              at: new Date().toISOString(),
              txId: 'commission',
            }),
          ),
        },
      ],
    },
  ]),
  'drugtrace',
);

it.each(DIALECTS)(
  'applies a block of one chunk of MAX_GENERATED_BATCH serials on %s',
  async (name, create) => {
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
        expect(await replica.unitGroups(GTIN, 'A1')).toMatchObject([{ count: serials.length }]);
      } finally {
        await db.close();
        await server.drop();
      }
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      `${name}: a block of one ${serials.length}-serial chunk in ${sorted[Math.floor(RUNS / 2)].toFixed(1)} ms ` +
        `(median of ${RUNS}; ${sorted.map((t) => t.toFixed(0)).join(', ')} ms)`,
    );
  },
);
