import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import {
  CommitError,
  connect,
  Contract,
  Gateway,
  Network,
  signers,
  Status,
} from '@hyperledger/fabric-gateway';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Who } from '../auth/caller';
import { AppConfig, OrgInfo } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { CONCURRENCY_CODES, LedgerUnavailableError, toDomainError } from './fabric-errors';
import { PeerHeight } from './peer-height';

interface Identity {
  org: string;
  user: string;
}

const RETRY_BASE_MS = 50;
/** The longest a call waits for its peer to reach the gateway's own writes before it goes ahead anyway. */
export const CATCH_UP_MAX_WAIT_MS = 5000;

/** What `submitTransaction` throws for a transaction the peers marked invalid. */
function commitError(status: Status): CommitError {
  const { code, transactionId } = status;
  return new CommitError({
    code,
    transactionId,
    message: `transaction ${transactionId} failed to commit (${code})`,
  });
}

/**
 * The Fabric port: evaluate and submit as a given identity, so the chaincode's access control sees the
 * real caller. One gRPC client per peer endpoint, one Gateway per identity, per-call deadlines, all
 * closed on shutdown. Every error leaves as a domain error (see fabric-errors.ts).
 *
 * Read-your-writes across peers: a submit waits for the commit on the caller's own peer only, and each
 * organisation's caller uses its own peer, which may not have committed that block yet. The client therefore
 * remembers the height its own commits reached, and a call on a peer not known to be there first waits for
 * it (bounded by CATCH_UP_MAX_WAIT_MS; see PeerHeight). When every peer is current, nothing is awaited.
 */
@Injectable()
export class LedgerClient implements OnModuleDestroy {
  readonly #clients = new Map<string, grpc.Client>();
  readonly #gateways = new Map<string, Gateway>();
  readonly #heights = new Map<string, PeerHeight>();
  readonly #decoder = new TextDecoder();
  readonly #logger = new Logger(LedgerClient.name);
  /** Height of the ledger after the highest block holding a transaction this client committed. */
  #written = 0n;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  get channel(): string {
    return this.config.network.channel;
  }

  async evaluate<T>(who: Who, contract: string, tx: string, ...args: string[]): Promise<T> {
    const peer = this.#peerHeight(who);
    if (peer.height < this.#written) await this.#catchUp(peer, `${contract}:${tx}`);
    const end = this.metrics.fabric.startTimer({ call: `${contract}:${tx}`, kind: 'evaluate' });
    try {
      const bytes = await this.#contract(who, contract).evaluateTransaction(tx, ...args);
      end({ outcome: 'ok' });
      return JSON.parse(this.#decoder.decode(bytes)) as T;
    } catch (err) {
      end({ outcome: 'error' });
      throw toDomainError(err);
    }
  }

  /**
   * Endorse, submit and wait for the commit. A transaction invalidated by a concurrent change (MVCC or
   * phantom read conflict) was not committed, and a new endorsement re-runs every chaincode check on the
   * current state, so re-submitting it cannot apply anything twice: retried up to MVCC_RETRIES times, then
   * a 409. An unknown commit outcome (commit status deadline) is never retried.
   */
  async submit<T>(who: Who, contract: string, tx: string, ...args: string[]): Promise<T> {
    const peer = this.#peerHeight(who);
    if (peer.height < this.#written) await this.#catchUp(peer, `${contract}:${tx}`);
    const end = this.metrics.fabric.startTimer({ call: `${contract}:${tx}`, kind: 'submit' });
    for (let attempt = 0; ; attempt++) {
      try {
        const submitted = await this.#contract(who, contract).submitAsync(tx, { arguments: args });
        const status = await submitted.getStatus();
        if (!status.successful) throw commitError(status);
        // The caller's peer has committed this block; other peers are waited for when they are next used.
        const height = status.blockNumber + 1n;
        peer.advance(height);
        if (height > this.#written) this.#written = height;
        end({ outcome: 'ok' });
        return JSON.parse(this.#decoder.decode(submitted.getResult())) as T;
      } catch (err) {
        const concurrent = err instanceof CommitError && CONCURRENCY_CODES.has(err.code);
        if (!concurrent || attempt >= this.config.mvccRetries) {
          end({ outcome: 'error' });
          throw toDomainError(err);
        }
        await sleep(RETRY_BASE_MS * 2 ** attempt * (1 + Math.random()));
      }
    }
  }

  network(who: Who): Network {
    return this.#gateway(who).getNetwork(this.channel);
  }

  /** Whether the listener's peer accepts a gRPC connection within the deadline (never hangs). */
  async peerReachable(timeoutMs = 2000): Promise<boolean> {
    let client: grpc.Client;
    try {
      client = this.#client(this.#org(this.#identity('listener').org));
    } catch {
      return false;
    }
    return new Promise((resolve) => client.waitForReady(Date.now() + timeoutMs, (err) => resolve(!err)));
  }

  async onModuleDestroy(): Promise<void> {
    const heights = [...this.#heights.values()];
    this.#heights.clear();
    await Promise.all(heights.map((height) => height.close()));
    for (const gateway of this.#gateways.values()) gateway.close();
    for (const client of this.#clients.values()) client.close();
    this.#gateways.clear();
    this.#clients.clear();
  }

  /** What is known of the height of the caller's peer; its listener starts with the first call there. */
  #peerHeight(who: Who): PeerHeight {
    const endpoint = this.#org(this.#identity(who).org).peer.endpoint;
    let height = this.#heights.get(endpoint);
    if (!height) {
      height = new PeerHeight(endpoint, this.network(who));
      this.#heights.set(endpoint, height);
    }
    return height;
  }

  /** Waits (bounded) until the peer has the blocks of this client's own writes; never fails the call. */
  async #catchUp(peer: PeerHeight, call: string): Promise<void> {
    const target = this.#written;
    const end = this.metrics.fabric.startTimer({ call, kind: 'catch-up' });
    const outcome = await peer.reach(target, CATCH_UP_MAX_WAIT_MS);
    end({ outcome });
    if (outcome === 'timeout')
      this.#logger.warn(
        `peer ${peer.endpoint} stayed below height ${target} for ${CATCH_UP_MAX_WAIT_MS} ms; calling it anyway`,
      );
  }

  #contract(who: Who, name: string): Contract {
    return this.network(who).getContract(this.config.network.chaincode.name, name);
  }

  /** API callers sign as themselves; the public resolver and the block listener use the regulator's identities. */
  #identity(who: Who): Identity {
    if (who === 'resolver') return { org: this.config.regulatorOrg, user: 'resolver' };
    if (who === 'listener') return { org: this.config.regulatorOrg, user: 'user1' };
    return { org: who.org, user: who.user };
  }

  #org(key: string): OrgInfo {
    const org = this.config.network.orgs[key];
    if (!org) throw new LedgerUnavailableError(`organisation ${key} is not in network.json`);
    return org;
  }

  /**
   * Peers require mutual TLS. The gRPC connection is shared by every caller of the organisation, so it
   * presents the organisation's TLS client identity from network.json; each caller still signs as itself.
   */
  #client(org: OrgInfo): grpc.Client {
    let client = this.#clients.get(org.peer.endpoint);
    if (!client) {
      const { tlsRootCertPath, tlsClientKeyPath, tlsClientCertPath } = org.peer;
      const tls = grpc.credentials.createSsl(
        readFileSync(tlsRootCertPath),
        readFileSync(tlsClientKeyPath),
        readFileSync(tlsClientCertPath),
      );
      client = new grpc.Client(org.peer.endpoint, tls, {
        'grpc.ssl_target_name_override': org.peer.hostAlias,
        // Reconnect quickly after a peer restart instead of backing off for minutes.
        'grpc.initial_reconnect_backoff_ms': 250,
        'grpc.max_reconnect_backoff_ms': 2000,
      });
      this.#clients.set(org.peer.endpoint, client);
    }
    return client;
  }

  #gateway(who: Who): Gateway {
    const { org: orgKey, user: userName } = this.#identity(who);
    const cacheKey = `${orgKey}/${userName}`;
    let gateway = this.#gateways.get(cacheKey);
    if (!gateway) {
      const org = this.#org(orgKey);
      const user = org.users[userName];
      if (!user) throw new LedgerUnavailableError(`no identity ${cacheKey} in network.json`);
      const { evaluateTimeoutMs, submitTimeoutMs, commitTimeoutMs } = this.config;
      gateway = connect({
        client: this.#client(org),
        identity: { mspId: org.mspId, credentials: readFileSync(user.certPath) },
        signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(user.keyPath))),
        evaluateOptions: () => ({ deadline: Date.now() + evaluateTimeoutMs }),
        endorseOptions: () => ({ deadline: Date.now() + submitTimeoutMs }),
        submitOptions: () => ({ deadline: Date.now() + submitTimeoutMs }),
        commitStatusOptions: () => ({ deadline: Date.now() + commitTimeoutMs }),
      });
      this.#gateways.set(cacheKey, gateway);
    }
    return gateway;
  }
}
