// `npm run index:rebuild` and `npm run index:verify`: the read model's maintenance, beside a running network.
import { createCompositeKey, KEY, splitCompositeKey } from '@drugtrace/chaincode/replica';
import { common } from '@hyperledger/fabric-protos';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { AppConfig } from '../config/app-config';
import { Database } from '../database/database';
import { openDatabase } from '../database/database.module';
import { EventStore } from '../events/event-store';
import { LedgerTimeoutError } from '../fabric/fabric-errors';
import { LedgerClient } from '../fabric/ledger-client';
import { MetricsService } from '../metrics/metrics.service';
import { BlockApplier } from './block-applier';
import { checkLists } from './lists/list-check';
import { MIN_BLOCK_WAIT_MS, ReadModel } from './read-model';
import { ReplicaHeight } from './replica-height';
import { ReplicaStore } from './replica-store';

/** Keys of each type index:verify samples. */
const SAMPLE_PER_TYPE = 20;

interface Tools {
  config: AppConfig;
  db: Database;
  ledger: LedgerClient;
  replica: ReplicaStore;
  events: EventStore;
}

async function open(): Promise<Tools> {
  const config = new AppConfig();
  const db = openDatabase(config);
  const replica = new ReplicaStore(db);
  const events = new EventStore(db);
  await replica.migrate();
  await events.migrate();
  return { config, db, ledger: new LedgerClient(config, new MetricsService()), replica, events };
}

async function close({ db, ledger }: Tools): Promise<void> {
  await ledger.onModuleDestroy();
  await db.close();
}

/** The listener's peer's height (blocks committed). */
async function peerHeight(ledger: LedgerClient): Promise<number> {
  const bytes = await ledger
    .network('listener')
    .getContract('qscc')
    .evaluateTransaction('GetChainInfo', ledger.channel);
  return common.BlockchainInfo.deserializeBinary(bytes).getHeight();
}

/** A gateway on this embedded database would keep serving (and following) while the tables are rebuilt. */
function refuseWhileGatewayRuns(config: AppConfig): void {
  const pidFile = join(config.home, 'gateway', 'gateway.pid');
  if (config.databaseUrl || !existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
  } catch {
    return;
  }
  throw new Error(
    `the gateway (pid ${pid}) uses this database: stop it first (test-network-scripts/gateway.sh stop)`,
  );
}

/** Empties the replica and the event index, then applies every block from 0 to the peer's height. */
async function rebuild(): Promise<void> {
  const tools = await open();
  const { config, db, ledger, replica, events } = tools;
  try {
    refuseWhileGatewayRuns(config);
    await db.transaction(async (tx) => {
      await replica.clear(tx);
      await tx.run('DELETE FROM events');
    });
    const target = await peerHeight(ledger);
    const applier = new BlockApplier(db, replica, events, config.network.chaincode.name);
    const started = process.hrtime.bigint();
    let keys = 0;
    let applied = 0;
    const stream = await ledger.network('listener').getBlockEvents({ startBlock: 0n });
    try {
      for await (const block of stream) {
        const result = await applier.apply(block);
        keys += result.writes;
        applied++;
        if (result.number + 1 >= target) break;
      }
    } finally {
      stream.close();
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const count = async (table: string) =>
      (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0;
    console.log(
      `index:rebuild: ${applied} blocks (0..${target - 1}) in ${seconds.toFixed(2)} s — ` +
        `${(applied / seconds).toFixed(1)} blocks/s, ${keys} keys written (${(keys / seconds).toFixed(0)} keys/s); ` +
        `rows: ${await count('replica_state')} keys, ${await count('replica_versions')} key versions, ` +
        `${await count('replica_transactions')} transactions, ${await count('events')} events; derived: ` +
        `${await count('list_shipments')} shipment list rows, ${await count('list_alerts')} alert list rows`,
    );
  } finally {
    await close(tools);
  }
}

/** The queries that read a key of each type, as [contract, transaction, args]. */
function queriesFor(type: string, attrs: string[], value: Buffer | null): [string, string, string[]][] {
  switch (type) {
    case KEY.serialChunk: {
      // A chunk's first and last packs, read as any pack is (their own key when materialized, else the chunk).
      const { gtin, serials } = JSON.parse(String(value)) as { gtin: string; serials: string[] };
      return [...new Set([serials[0], serials[serials.length - 1]])].flatMap((serial) =>
        queriesFor(KEY.unit, [gtin, serial], null),
      );
    }
    case KEY.org:
      return [['registry', 'Get', attrs]];
    case KEY.product:
      return [['products', 'Get', attrs]];
    case KEY.batch:
      return [['batches', 'Get', attrs]];
    case KEY.unit:
      return [
        ['units', 'Get', attrs],
        ['units', 'History', attrs],
        ['verification', 'Verify', [`(01)${attrs[0]}(21)${attrs[1]}`, '']],
      ];
    case KEY.container:
      return [['containers', 'Get', attrs]];
    case KEY.shipment:
      return [['shipments', 'Get', attrs]];
    default:
      return [];
  }
}

const answer = (p: Promise<{ value: unknown }>): Promise<unknown> =>
  p.then(
    (r) => r.value,
    (err: Error) => (err instanceof LedgerTimeoutError ? err : { refused: err.message }),
  );

/**
 * Compares a sample of the replica's keys of every type, through the queries that read them, with the peer's
 * answers (chaincode evaluates) at the same height, as the regulator. Exits 1 on any drift.
 */
async function verify(): Promise<void> {
  const tools = await open();
  const { config, db, ledger, replica } = tools;
  let drifted = 0;
  let compared = 0;
  let unanswered = 0;
  try {
    const height = new ReplicaHeight();
    const reads = new ReadModel(config, ledger, replica, height, new MetricsService());
    const syncHeights = async (): Promise<number> => {
      const target = await peerHeight(ledger);
      const deadline = Date.now() + MIN_BLOCK_WAIT_MS;
      while ((await replica.height()) < target && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      height.advance(await replica.height());
      return target;
    };
    const sampled: string[] = [];
    for (const type of [
      KEY.org,
      KEY.product,
      KEY.batch,
      KEY.unit,
      KEY.serialChunk,
      KEY.container,
      KEY.shipment,
    ]) {
      const start = createCompositeKey(type, []);
      const rows = await db.all<{ key: Buffer; value: Buffer | null }>(
        'SELECT key, value FROM replica_state WHERE key >= ? AND key < ? AND value IS NOT NULL ORDER BY random() LIMIT ?',
        [Buffer.from(start), Buffer.from(start + '\u{10ffff}'), SAMPLE_PER_TYPE],
      );
      sampled.push(`${rows.length} ${type}`);
      for (const row of rows) {
        const { attributes } = splitCompositeKey(row.key.toString('utf8'));
        for (const [contract, tx, args] of queriesFor(type, attributes, row.value)) {
          // Both sides at one height: when the peer moved on during the comparison, compare again.
          for (let attempt = 0; ; attempt++) {
            const before = await syncHeights();
            const fromReplica = await answer(reads.read('listener', contract, tx, ...args));
            const fromPeer = await answer(reads.ledger('listener', contract, tx, ...args));
            // A query the peer cannot answer within its deadline (a big lot's counts read every pack there) has
            // nothing to compare with: reported, not drift.
            if (fromPeer instanceof LedgerTimeoutError) {
              unanswered++;
              console.error(`not compared: ${contract}:${tx}(${args.join(', ')}): ${fromPeer.message}`);
              break;
            }
            const same = isDeepStrictEqual(fromReplica, fromPeer);
            if (
              same ||
              ((await peerHeight(ledger)) === before && height.current === before) ||
              attempt >= 2
            ) {
              compared++;
              if (!same) {
                drifted++;
                console.error(
                  `drift in ${contract}:${tx}(${args.join(', ')}):\n  replica ${JSON.stringify(fromReplica)}\n  peer    ${JSON.stringify(fromPeer)}`,
                );
              }
              break;
            }
          }
        }
      }
    }
    console.log(
      `index:verify: sampled ${sampled.join(', ')} keys at block ${height.block}; ${compared} answers compared ` +
        `with the peer's, ${drifted} drifted, ${unanswered} the peer did not answer in time`,
    );
    // The list tables against a walk of the replica they are derived from.
    const lists = await checkLists(db, replica);
    for (const line of lists.drift) console.error(`drift in the list tables: ${line}`);
    drifted += lists.drift.length;
    console.log(
      `index:verify: list tables at block ${lists.height - 1}: ${lists.shipmentRows} shipment rows, ` +
        `${lists.alertRows} alert rows compared with a walk of the replica, ${lists.drift.length} drifted`,
    );
    // The batches' counts against a recount of the unit rows they are kept from.
    const counts = await replica.unitCountDrift();
    for (const line of counts) console.error(`drift in the unit counts: ${line}`);
    drifted += counts.length;
    console.log(
      `index:verify: unit counts compared with a recount of the unit rows, ${counts.length} drifted`,
    );
  } finally {
    await close(tools);
  }
  if (drifted > 0) process.exitCode = 1;
}

const command = process.argv[2];
const run = command === 'rebuild' ? rebuild : command === 'verify' ? verify : undefined;
if (!run) {
  console.error('usage: index-cli.js rebuild|verify');
  process.exit(2);
}
run().catch((err: unknown) => {
  console.error(`index:${command}: ${(err as Error).message}`);
  process.exit(1);
});
