import { Injectable, OnModuleDestroy } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import { connect, Contract, Gateway, Network, signers, StatusCode } from '@hyperledger/fabric-gateway';
import { DomainError } from '@drugtrace/chaincode/domain';
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Who } from '../auth/caller';
import { AppConfig, OrgInfo } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { LedgerUnavailableError, toDomainError } from './fabric-errors';

// Conflicts worth re-endorsing: another transaction changed what this one read; a new endorsement sees it.
const RETRYABLE = new Set<number>([StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT]);

interface Identity {
  org: string;
  user: string;
}

/**
 * The chaincode in business-neutral terms: evaluate and submit as a given identity. One gRPC client per
 * peer endpoint, one Gateway per identity, all closed on shutdown.
 */
@Injectable()
export class LedgerClient implements OnModuleDestroy {
  readonly #clients = new Map<string, grpc.Client>();
  readonly #gateways = new Map<string, Gateway>();
  readonly #decoder = new TextDecoder();

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  get channel(): string {
    return this.config.network.channel;
  }

  async evaluate<T>(who: Who, contract: string, tx: string, ...args: string[]): Promise<T> {
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

  async submit<T>(who: Who, contract: string, tx: string, ...args: string[]): Promise<{ result: T; txId: string }> {
    const end = this.metrics.fabric.startTimer({ call: `${contract}:${tx}`, kind: 'submit' });
    try {
      for (let attempt = 0; ; attempt++) {
        const proposal = this.#contract(who, contract).newProposal(tx, { arguments: args });
        const transaction = await proposal.endorse();
        const commit = await transaction.submit();
        const status = await commit.getStatus();
        if (status.successful) {
          end({ outcome: 'ok' });
          return { result: JSON.parse(this.#decoder.decode(transaction.getResult())) as T, txId: transaction.getTransactionId() };
        }
        if (!RETRYABLE.has(status.code) || attempt >= this.config.mvccRetries) {
          throw new DomainError('CONFLICT', `the ledger changed concurrently and the transaction was not committed (validation code ${status.code})`);
        }
      }
    } catch (err) {
      end({ outcome: 'error' });
      throw toDomainError(err);
    }
  }

  network(who: Who): Network {
    return this.#gateway(who).getNetwork(this.channel);
  }

  /** Whether the listener's peer answers a gRPC connection within the deadline. */
  async peerReachable(timeoutMs = 2000): Promise<boolean> {
    const client = this.#client(this.#org(this.#identity('listener').org));
    return new Promise((resolve) => client.waitForReady(Date.now() + timeoutMs, (err) => resolve(!err)));
  }

  onModuleDestroy(): void {
    for (const gateway of this.#gateways.values()) gateway.close();
    for (const client of this.#clients.values()) client.close();
    this.#gateways.clear();
    this.#clients.clear();
  }

  #contract(who: Who, name: string): Contract {
    return this.network(who).getContract(this.config.network.chaincode.name, name);
  }

  #identity(who: Who): Identity {
    if (who === 'resolver') return { org: this.#regulatorOrg(), user: 'resolver' };
    if (who === 'listener') return { org: this.#regulatorOrg(), user: 'user1' };
    return { org: who.org, user: who.user };
  }

  #regulatorOrg(): string {
    const entry = Object.entries(this.config.network.orgs).find(([, o]) => o.role === 'REGULATOR');
    if (!entry) throw new LedgerUnavailableError('the network has no regulator organisation');
    return entry[0];
  }

  #org(key: string): OrgInfo {
    const org = this.config.network.orgs[key];
    if (!org) throw new LedgerUnavailableError(`organisation ${key} is not in network.json`);
    return org;
  }

  #client(org: OrgInfo): grpc.Client {
    let client = this.#clients.get(org.peer.endpoint);
    if (!client) {
      const tls = grpc.credentials.createSsl(readFileSync(org.peer.tlsRootCertPath));
      client = new grpc.Client(org.peer.endpoint, tls, {
        'grpc.ssl_target_name_override': org.peer.hostAlias,
        // Fail fast while a peer is down instead of queueing calls behind reconnect back-off.
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
