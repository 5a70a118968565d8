import { Injectable } from '@nestjs/common';
import {
  batchOnReplica,
  evaluateOnReplica,
  ReplicaCaller,
  WorldStateReader,
} from '@drugtrace/chaincode/replica';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Who } from '../auth/caller';
import { AppConfig } from '../config/app-config';
import { LedgerUnavailableError } from '../fabric/fabric-errors';
import { LedgerClient } from '../fabric/ledger-client';
import { MetricsService } from '../metrics/metrics.service';
import { ledgerPosition, noteLedgerBlock } from './ledger-position';
import { ReplicaHeight } from './replica-height';
import { ReplicaStore } from './replica-store';

/** The longest a read waits for the replica to reach a height asked for (X-Min-Block) or the gateway's own writes. */
export const MIN_BLOCK_WAIT_MS = 5000;
/**
 * The longest a write's answer waits for the replica to apply its block (milliseconds, against a lag of ~5–10 ms):
 * a replica stalled (its peer down) delays each write by this much at most, and reads then wait for the rest.
 */
export const VISIBLE_WAIT_MS = 1000;

/** A read's answer and the block it reflects. */
export interface Read<T> {
  value: T;
  block: number;
}

/**
 * The certificate attributes Fabric CA wrote into an enrolment certificate (extension 1.2.3.4.5.6.7.8.1, a JSON
 * document `{"attrs":{…}}`): what the chaincode's access checks read from the caller's identity.
 */
export function certificateAttributes(pem: string): Record<string, string> {
  const der = Buffer.from(new X509Certificate(pem).raw);
  const start = der.indexOf('{"attrs":');
  if (start < 0) return {};
  for (let end = der.indexOf('}}', start); end > 0; end = der.indexOf('}}', end + 1)) {
    try {
      return (JSON.parse(der.subarray(start, end + 2).toString('utf8')) as { attrs: Record<string, string> })
        .attrs;
    } catch {
      // a '}}' inside a value: look for the next one
    }
  }
  return {};
}

/**
 * Every read: the contracts' own query transactions run over the replica of the world state (see
 * @drugtrace/chaincode/replica), as the caller's identity, so the answer is the chaincode's by construction —
 * and no peer, no chaincode process is involved. A read reflects one block height throughout (the replica's
 * when it starts) and reports it (X-Ledger-Block). It first waits, bounded, for the replica to reach the
 * gateway's own writes (read-your-writes) and the height the request asked for (X-Min-Block: else 503).
 * `ledger()` asks the peer instead, for callers who want the endorsed answer.
 */
@Injectable()
export class ReadModel {
  readonly #callers = new Map<string, ReplicaCaller>();
  /** The replica height every write this gateway has answered needs (0: none yet). */
  #acknowledged = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly ledgerClient: LedgerClient,
    private readonly replica: ReplicaStore,
    private readonly height: ReplicaHeight,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * A write of this gateway, answered once the replica reflects its block (bounded by VISIBLE_WAIT_MS): the
   * replica's lag is paid once, by the writer, instead of by every read that arrives between the commit and the
   * replica applying it. Reads wait only for writes answered before the replica had them (the bound passed).
   */
  async visible<T>(write: () => Promise<T>): Promise<T> {
    const value = await write();
    // At least this write's block + 1 (a later write of another request may have raised it further).
    const height = Number(this.ledgerClient.writtenHeight);
    if (height > this.height.current) {
      const end = this.metrics.fabric.startTimer({ call: 'replica', kind: 'visible' });
      const reached = await this.height.reach(height, VISIBLE_WAIT_MS);
      end({ outcome: reached ? 'caught-up' : 'timeout' });
    }
    if (height > this.#acknowledged) this.#acknowledged = height;
    return value;
  }

  async read<T>(who: Who, contract: string, tx: string, ...args: string[]): Promise<Read<T>> {
    const height = await this.#heightToRead();
    const end = this.metrics.fabric.startTimer({ call: `${contract}:${tx}`, kind: 'replica' });
    try {
      const state = this.replica.at(height);
      const caller = this.#caller(who);
      // A batch's counts come from the replica's unit table, grouped, not from reading every pack.
      const value = (
        contract === 'batches' && tx === 'Get'
          ? await batchOnReplica(state, caller, args[0], args[1], () =>
              this.replica.unitGroups(args[0], args[1]),
            )
          : await evaluateOnReplica(state, caller, contract, tx, args)
      ) as T;
      end({ outcome: 'ok' });
      noteLedgerBlock(height - 1);
      return { value, block: height - 1 };
    } catch (err) {
      end({ outcome: 'error' });
      noteLedgerBlock(height - 1);
      throw err;
    }
  }

  /**
   * A read of the read model's own tables and the world state at one height (after the same waits as `read`):
   * for answers no contract query gives (an organisation's packs of a batch).
   */
  async snapshot<T>(work: (state: WorldStateReader, block: number) => Promise<T>): Promise<Read<T>> {
    const height = await this.#heightToRead();
    noteLedgerBlock(height - 1);
    return { value: await work(this.replica.at(height), height - 1), block: height - 1 };
  }

  /**
   * A read of the derived tables (list pages), after the same waits as every read; `read` answers with the
   * replica height its rows were taken at, which the answer reports (the tables hold the latest block applied).
   */
  async derived<T extends { height: number }>(call: string, read: () => Promise<T>): Promise<T> {
    await this.#heightToRead();
    const end = this.metrics.fabric.startTimer({ call, kind: 'replica' });
    try {
      const value = await read();
      end({ outcome: 'ok' });
      noteLedgerBlock(value.height - 1);
      return value;
    } catch (err) {
      end({ outcome: 'error' });
      throw err;
    }
  }

  /** The peer's endorsed answer (a chaincode evaluate), with the lowest block the peer is known to have. */
  async ledger<T>(who: Who, contract: string, tx: string, ...args: string[]): Promise<Read<T>> {
    const value = (await this.ledgerClient.evaluate(who, contract, tx, ...args)) as T;
    const block = Number(this.ledgerClient.knownHeight(who)) - 1;
    noteLedgerBlock(block);
    return { value, block };
  }

  /** The block the replica reflects now. */
  get block(): number {
    return this.height.block;
  }

  /** The height a read starts from: at least the gateway's own writes' and the request's X-Min-Block. */
  async #heightToRead(): Promise<number> {
    const minBlock = ledgerPosition()?.minBlock;
    if (minBlock !== undefined && !(await this.height.reach(minBlock + 1, MIN_BLOCK_WAIT_MS))) {
      throw new LedgerUnavailableError(
        `the read model has not reached block ${minBlock} within ${MIN_BLOCK_WAIT_MS / 1000} s (it is at block ` +
          `${this.height.block}); try again shortly`,
      );
    }
    const written = this.#acknowledged;
    if (written > this.height.current) {
      const end = this.metrics.fabric.startTimer({ call: 'replica', kind: 'catch-up' });
      const reached = await this.height.reach(written, MIN_BLOCK_WAIT_MS);
      end({ outcome: reached ? 'caught-up' : 'timeout' });
      if (!reached)
        throw new LedgerUnavailableError(
          `the read model has not reached this gateway's last write (block ${written - 1}) within ` +
            `${MIN_BLOCK_WAIT_MS / 1000} s; try again shortly`,
        );
    }
    return this.height.current;
  }

  /** The MSP and certificate attributes of the identity the peer would see for `who`. */
  #caller(who: Who): ReplicaCaller {
    const { org, user, certPath } = this.ledgerClient.identityOf(who);
    const cacheKey = `${org}/${user}`;
    let caller = this.#callers.get(cacheKey);
    if (!caller) {
      const info = this.config.network.orgs[org];
      if (!info) throw new LedgerUnavailableError(`organisation ${org} is not in network.json`);
      const pem = readFileSync(certPath, 'utf8');
      caller = {
        mspId: info.mspId,
        attrs: certificateAttributes(pem),
        id: fabricIdOf(new X509Certificate(pem)),
      };
      this.#callers.set(cacheKey, caller);
    }
    return caller;
  }
}

/** The identity string the peer's chaincode shim gives getID: `x509::<subject DN>::<issuer DN>`, '/'-separated. */
function fabricIdOf(cert: X509Certificate): string {
  const dn = (name: string) =>
    name
      .split('\n')
      .map((part) => `/${part}`)
      .join('');
  return `x509::${dn(cert.subject)}::${dn(cert.issuer)}`;
}
