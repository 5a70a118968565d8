import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import {
  CommitError,
  connect,
  Contract,
  Gateway,
  GatewayError,
  hash,
  Network,
  Proposal,
  signers,
  Status,
  StatusCode,
  SubmittedTransaction,
  Transaction,
} from '@hyperledger/fabric-gateway';
import { gateway as gatewayProtos, msp } from '@hyperledger/fabric-protos';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Who } from '../auth/caller';
import { AppConfig, OrgInfo } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import {
  RETRYABLE_COMMIT_CODES,
  CommitUnknownError,
  isEndorsementMismatch,
  isEndorsersNotReady,
  isSubmitError,
  LedgerTimeoutError,
  LedgerUnavailableError,
  toDomainError,
} from './fabric-errors';
import { noteLedgerBlock } from '../replica/ledger-position';
import { endorsingOrganizations } from './endorsement-plan';
import { PeerHeight } from './peer-height';
import { nodeP256Signer } from './signer';
import type { FabricTimer } from './write-host';
import { WRITE_THREAD, WriteRequest, WriteThread, Written } from './write-thread';

/** A signing identity: its organisation, a name unique there, and its certificate and key files. */
export interface Identity {
  org: string;
  user: string;
  certPath: string;
  keyPath: string;
}

const RETRY_BASE_MS = 50;
/** The longest a call waits for its peer to reach the gateway's own writes before it goes ahead anyway. */
export const CATCH_UP_MAX_WAIT_MS = 5000;
/** Pause before handing a transaction to the ordering service again, or asking again for its commit. */
export const RESEND_AFTER_MS = 500;
/**
 * A commit not reported this long after the hand-over is taken as lost by the ordering service, and the same
 * signed transaction is handed over again. Commits take well under a second here, 2 s at most under load.
 */
export const RESUBMIT_AFTER_MS = 5000;
/** The largest gRPC message taken from a peer: its own default limit (peer.maxRecvMsgSize / maxSendMsgSize). */
export const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;
/** How long a write keeps asking for endorsers that discovery does not know yet (a peer just (re)started). */
export const ENDORSERS_WAIT_MS = 5000;
/** Pause before asking a peer again for a commit status it could not give. */
const STATUS_RETRY_MS = 100;
/** How long past the write timeout a closing gateway waits for the write thread's writes under way. */
const CLOSE_MARGIN_MS = 5000;

/** Private data for a submit: transient data, and the only organisations asked to endorse. */
export interface PrivateOptions {
  transientData?: Record<string, string>;
  endorsingOrganizations?: string[];
}

/** What the caller's peer knows of a committed transaction (valid or not). */
export interface CommittedStatus {
  code: number;
  blockNumber: bigint;
}

const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);
const isDeadline = (err: unknown): boolean =>
  err instanceof GatewayError && err.code === grpc.status.DEADLINE_EXCEEDED;

/** A peer answer that says nothing about the transaction itself: the same question may succeed again. */
const isTransient = (err: unknown): boolean =>
  err instanceof GatewayError && (err.code === grpc.status.ABORTED || err.code === grpc.status.UNAVAILABLE);

/** The metric outcome of a failed write: what the client was told. */
const outcomeOf = (err: unknown): string =>
  err instanceof CommitUnknownError ? 'unknown' : err instanceof LedgerTimeoutError ? 'timeout' : 'error';

/** What `submitTransaction` throws for a transaction the peers marked invalid. */
function commitError(status: Status): CommitError {
  const { code, transactionId } = status;
  return new CommitError({
    code,
    transactionId,
    message: `transaction ${transactionId} failed to commit (${code})`,
  });
}

/** SHA-256 of a PEM certificate's DER bytes: how Fabric binds a request to its TLS client certificate. */
function tlsCertificateHash(pemPath: string): Uint8Array {
  return createHash('sha256')
    .update(new X509Certificate(readFileSync(pemPath)).raw)
    .digest();
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
 *
 * Every write answers within WRITE_TIMEOUT_MS: each step's deadline is its own (endorse, submit) cut to what
 * is left of the write's, and the commit is awaited until the write's deadline. Past it the outcome is
 * either certain (nothing was sent: a timeout) or unknown (sent, not confirmed: the transaction ID goes back
 * to the client, who asks GET /v1/transactions/{txId}).
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
    @Inject(MetricsService) private readonly metrics: FabricTimer,
    /** Where writes run when not on this thread (the gateway's; unset on the write thread itself). */
    @Optional() @Inject(WRITE_THREAD) private readonly writeThread?: WriteThread | null,
  ) {}

  get channel(): string {
    return this.config.network.channel;
  }

  /** Height of the ledger after the highest block holding a transaction this client committed (0: none). */
  get writtenHeight(): bigint {
    return this.#written;
  }

  /** A lower bound of the height of the peer `who` calls. */
  knownHeight(who: Who): bigint {
    return this.#peerHeight(who).height;
  }

  /** The organisation and user whose identity signs for `who`. */
  identityOf(who: Who): Identity {
    return this.#identity(who);
  }

  /** A read on the caller's peer: the transaction's JSON result, parsed (typed by the Ledger facade). */
  async evaluate(who: Who, contract: string, tx: string, ...args: string[]): Promise<unknown> {
    const peer = this.#peerHeight(who);
    if (peer.height < this.#written) await this.#catchUp(peer, `${contract}:${tx}`);
    const end = this.metrics.fabric.startTimer({ call: `${contract}:${tx}`, kind: 'evaluate' });
    try {
      const bytes = await this.#contract(who, contract).evaluateTransaction(tx, ...args);
      end({ outcome: 'ok' });
      return this.#result(bytes);
    } catch (err) {
      end({ outcome: 'error' });
      throw toDomainError(err);
    }
  }

  /**
   * Endorse, submit and wait for the commit, all within the write deadline. A transaction invalidated by a
   * concurrent change (MVCC or phantom read conflict) was not committed, and a new endorsement re-runs every
   * chaincode check on the current state, so re-submitting it cannot apply anything twice: retried up to
   * MVCC_RETRIES times while time is left, then a 409. An unknown commit outcome is never re-endorsed.
   */
  async submit(who: Who, contract: string, tx: string, ...args: string[]): Promise<unknown> {
    return this.#submit({ who, contract, tx, args });
  }

  /**
   * A submit carrying private data: `transientData` reaches the chaincode but never the ledger, and only the
   * peers of `endorsingOrganizations` are asked to endorse (the peer gateway refuses to guess who may see it).
   */
  async submitWith(
    who: Who,
    contract: string,
    tx: string,
    options: PrivateOptions,
    ...args: string[]
  ): Promise<unknown> {
    return this.#submit({ who, contract, tx, args, ...options });
  }

  /**
   * A write whose transaction ID is known before it is sent: the first endorsement uses a proposal made now.
   * A retry after a concurrent change (see submit) is a new transaction with another ID.
   */
  prepareSubmit(
    who: Who,
    contract: string,
    tx: string,
    ...args: string[]
  ): { txId: string; submit: () => Promise<unknown> } {
    const endorsing = endorsingOrganizations(
      contract,
      tx,
      this.#org(this.#identity(who).org).mspId,
      this.#org(this.config.regulatorOrg).mspId,
    );
    const proposal = this.#contract(who, contract).newProposal(tx, {
      arguments: args,
      endorsingOrganizations: endorsing,
    });
    return {
      txId: proposal.getTransactionId(),
      submit: () => this.#submit({ who, contract, tx, args }, proposal),
    };
  }

  /** A write, on the write thread when there is one; the request being answered learns the block it is in. */
  async #submit(request: WriteRequest, first?: Proposal): Promise<unknown> {
    let written: Written;
    if (this.writeThread) {
      const proposal = first?.getBytes();
      written = await this.writeThread.submit({ ...request, proposal, writtenHeight: this.#written });
      // This thread's reads wait for peers to reach the thread's writes as for its own (write records those).
      this.#committed(request.who, written.block + 1n);
    } else written = await this.write(request, { first });
    noteLedgerBlock(Number(written.block));
    return written.value;
  }

  /**
   * A write on this thread's connections (see submit): the write thread's entry point. A prepared proposal
   * comes as `first`, or as the bytes of one made on another thread (unsigned: it is signed here, as `who`).
   * `handingOver` hears each transaction just before it goes to the ordering service.
   */
  async write(
    request: WriteRequest,
    { first, handingOver }: { first?: Proposal; handingOver?: (txId: string) => void } = {},
  ): Promise<Written> {
    const { who, contract, tx, args } = request;
    if (request.writtenHeight !== undefined && request.writtenHeight > this.#written)
      this.#written = request.writtenHeight;
    const options: PrivateOptions = {
      transientData: request.transientData,
      endorsingOrganizations: request.endorsingOrganizations,
    };
    const deadline = Date.now() + this.config.writeTimeoutMs;
    const peer = this.#peerHeight(who);
    const callerOrg = this.#identity(who).org;
    // Private data names its endorsers itself: only they may see it.
    let plan =
      options.endorsingOrganizations ??
      endorsingOrganizations(
        contract,
        tx,
        this.#org(callerOrg).mspId,
        this.#org(this.config.regulatorOrg).mspId,
      );
    // Endorsers are not only the caller's peer (custody keys need the regulator's too): every peer that may
    // endorse (those of the plan, when there is one) is first given the chance to reach this client's own
    // writes, or it would refuse what it has not yet seen (a ship right after the commissioning it ships).
    if (this.#written > 0n)
      await Promise.all(
        Object.entries(this.config.network.orgs)
          .filter(([, org]) => !plan || plan.includes(org.mspId))
          .map(([org]) => {
            const height = org === callerOrg ? peer : this.#peerHeightOfOrg(org);
            return height.height < this.#written
              ? this.#catchUp(height, `${contract}:${tx}`, deadline)
              : undefined;
          }),
      );
    const end = this.metrics.fabric.startTimer({ call: `${contract}:${tx}`, kind: 'submit' });
    const started = Date.now();
    // A proposal whose endorsement found no endorsers was never signed by a peer: it may be asked again.
    let proposal = first ?? (request.proposal && this.#gateway(who).newProposal(request.proposal));
    for (let conflicts = 0; ;) {
      try {
        const call = `${contract}:${tx}`;
        const transaction = await this.#phase(call, 'endorse', () =>
          this.#endorse(who, contract, tx, args, options.transientData, deadline, plan, proposal),
        );
        handingOver?.(transaction.getTransactionId());
        const handedOver = Date.now();
        const submitted = await this.#phase(call, 'order', () => this.#order(transaction, deadline));
        if (!submitted) {
          throw new CommitUnknownError(
            transaction.getTransactionId(),
            `was not confirmed taken by the ordering service within ${seconds(Date.now() - handedOver)} s`,
          );
        }
        const status = await this.#phase(call, 'commit', () =>
          this.#commitStatus(transaction, submitted, deadline),
        );
        if (!status.successful) throw commitError(status);
        // The caller's peer has committed this block; other peers are waited for when they are next used.
        this.#committed(who, status.blockNumber + 1n);
        end({ outcome: 'ok' });
        return { value: this.#result(submitted.getResult()), block: status.blockNumber };
      } catch (err) {
        const concurrent =
          (err instanceof CommitError && RETRYABLE_COMMIT_CODES.has(err.code)) || isEndorsementMismatch(err);
        // Discovery still learning a peer: nothing was sent, so ask again for a few seconds.
        const warming = isEndorsersNotReady(err) && Date.now() - started < ENDORSERS_WAIT_MS;
        // Keys the gateway's plan did not cover (goods sealed by another organisation): the peers plan the retry.
        if (
          err instanceof CommitError &&
          err.code === StatusCode.ENDORSEMENT_POLICY_FAILURE &&
          !options.endorsingOrganizations
        )
          plan = undefined;
        const pause = warming ? RESEND_AFTER_MS : RETRY_BASE_MS * 2 ** conflicts * (1 + Math.random());
        const retry = warming || (concurrent && conflicts < this.config.mvccRetries);
        if (!retry || Date.now() + pause >= deadline) {
          const mapped = toDomainError(err);
          end({ outcome: outcomeOf(mapped) });
          throw mapped;
        }
        if (!warming) {
          conflicts++;
          proposal = undefined;
        }
        await sleep(pause);
      }
    }
  }

  /**
   * What the caller's peer knows of a transaction: its validation code and block once it has committed it
   * (valid or not), undefined when it has not within `waitMs`. Asked through the peer gateway's commit
   * status service, which answers from the peer's transaction index: the block is not read (one
   * commissioning transaction can be megabytes). Any member may ask about any transaction, as any member
   * may read every block of the channel.
   */
  async transactionStatus(who: Who, txId: string, waitMs: number): Promise<CommittedStatus | undefined> {
    const gateway = this.#gateway(who);
    const { mspId, credentials } = gateway.getIdentity();
    const creator = new msp.SerializedIdentity();
    creator.setMspid(mspId);
    creator.setIdBytes(credentials);
    const request = new gatewayProtos.CommitStatusRequest();
    request.setChannelId(this.channel);
    request.setTransactionId(txId);
    request.setIdentity(creator.serializeBinary());
    const signed = new gatewayProtos.SignedCommitStatusRequest();
    signed.setRequest(request.serializeBinary());
    const end = this.metrics.fabric.startTimer({ call: 'commit-status', kind: 'evaluate' });
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        const status = await gateway.newCommit(signed.serializeBinary()).getStatus({ deadline });
        end({ outcome: 'ok' });
        return { code: status.code, blockNumber: status.blockNumber };
      } catch (err) {
        // The peer waits for a commit it has not seen until the deadline: not committed there (yet).
        if (isDeadline(err)) {
          end({ outcome: 'ok' });
          return undefined;
        }
        // The peer's commit notifier closed under it, or the peer was briefly out of reach: ask again.
        if (isTransient(err) && Date.now() + STATUS_RETRY_MS < deadline) {
          await sleep(STATUS_RETRY_MS);
          continue;
        }
        end({ outcome: 'error' });
        // Never "commit unknown" (that names a write of this request): the question itself went unanswered.
        if (isTransient(err))
          throw new LedgerUnavailableError(
            `the peer could not tell whether transaction ${txId} committed; ask again shortly`,
            { cause: err },
          );
        // A question the peer refuses (its ACL, a malformed request) would be refused again: the gateway's fault.
        throw err;
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
    await this.writeThread?.close(this.config.writeTimeoutMs + CLOSE_MARGIN_MS);
    const heights = [...this.#heights.values()];
    this.#heights.clear();
    await Promise.all(heights.map((height) => height.close()));
    for (const gateway of this.#gateways.values()) gateway.close();
    for (const client of this.#clients.values()) client.close();
    this.#gateways.clear();
    this.#clients.clear();
  }

  /** The caller's peer has a write of this client's up to `height`. */
  #committed(who: Who, height: bigint): void {
    this.#peerHeight(who).advance(height);
    if (height > this.#written) this.#written = height;
  }

  /** What is known of the height of the caller's peer; its listener starts with the first call there. */
  #peerHeight(who: Who): PeerHeight {
    return this.#peerHeightOf(this.#identity(who));
  }

  /** An organisation's peer height, followed as that organisation's user1. */
  #peerHeightOfOrg(org: string): PeerHeight {
    return this.#peerHeightOf(this.#networkIdentity(org, 'user1'));
  }

  #peerHeightOf(id: Identity): PeerHeight {
    const endpoint = this.#org(id.org).peer.endpoint;
    let height = this.#heights.get(endpoint);
    if (!height) {
      height = new PeerHeight(endpoint, this.#gatewayOf(id).getNetwork(this.channel));
      this.#heights.set(endpoint, height);
    }
    return height;
  }

  /**
   * Waits (bounded, and never past a write's deadline) until the peer has the blocks of this client's own
   * writes; never fails the call.
   */
  async #catchUp(peer: PeerHeight, call: string, deadline = Infinity): Promise<void> {
    const target = this.#written;
    const maxWait = Math.max(0, Math.min(CATCH_UP_MAX_WAIT_MS, deadline - Date.now()));
    const end = this.metrics.fabric.startTimer({ call, kind: 'catch-up' });
    const outcome = await peer.reach(target, maxWait);
    end({ outcome });
    if (outcome === 'timeout')
      this.#logger.warn(
        `peer ${peer.endpoint} stayed below height ${target} for ${maxWait} ms; calling it anyway`,
      );
  }

  /**
   * Times one step of a write (endorse, order: the hand-over to the ordering service, commit: waiting for the
   * caller's peer to report it), so the critical path of a write can be read off /metrics.
   */
  async #phase<T>(call: string, kind: 'endorse' | 'order' | 'commit', step: () => Promise<T>): Promise<T> {
    const end = this.metrics.fabric.startTimer({ call, kind });
    try {
      const result = await step();
      end({ outcome: 'ok' });
      return result;
    } catch (err) {
      end({ outcome: 'error' });
      throw err;
    }
  }

  /**
   * Endorsement within its own deadline and the write's; past it nothing was sent, so nothing is written. With
   * `endorsingOrganizations` the peer gateway asks those organisations' peers at once (see endorsement-plan.ts).
   */
  async #endorse(
    who: Who,
    contract: string,
    tx: string,
    args: string[],
    transientData: PrivateOptions['transientData'],
    deadline: number,
    endorsingOrganizations: string[] | undefined,
    first?: Proposal,
  ): Promise<Transaction> {
    const started = Date.now();
    try {
      const proposal =
        first ??
        this.#contract(who, contract).newProposal(tx, {
          arguments: args,
          transientData,
          endorsingOrganizations,
        });
      return await proposal.endorse({ deadline: Math.min(started + this.config.endorseTimeoutMs, deadline) });
    } catch (err) {
      if (!isDeadline(err)) throw err;
      throw new LedgerTimeoutError(
        `the peers did not endorse the transaction within ${seconds(Date.now() - started)} s; nothing was ` +
          'sent for ordering and nothing is written',
        { cause: err },
      );
    }
  }

  /**
   * Hands the signed transaction to the ordering service; undefined when no orderer took it by the write
   * deadline. While none takes it (for the seconds of an election after the consensus leader died) or a
   * hand-over times out, the same signed transaction is handed over again: a copy ordered twice is invalidated
   * as a duplicate transaction ID when peers validate it (the first stands), so this never applies anything
   * twice. An orderer's refusal of the transaction itself (ABORTED: a bad or forbidden request) is final.
   */
  async #order(transaction: Transaction, deadline: number): Promise<SubmittedTransaction | undefined> {
    for (;;) {
      try {
        return await transaction.submit({
          deadline: Math.min(Date.now() + this.config.submitTimeoutMs, deadline),
        });
      } catch (err) {
        if (!isSubmitError(err) || err.code === grpc.status.ABORTED) throw err;
        this.#logger.debug(
          `transaction ${transaction.getTransactionId()} not taken for ordering: ${err.message}`,
        );
        if (Date.now() + RESEND_AFTER_MS >= deadline) return undefined;
        await sleep(RESEND_AFTER_MS);
      }
    }
  }

  /**
   * The commit status from the caller's peer, awaited until the write deadline; asked again if the peer drops
   * the call. A transaction taken by a leader that died before passing it on is lost and never commits: when
   * no status has come RESUBMIT_AFTER_MS after a hand-over, the same signed transaction is handed over again
   * (see #order). Past the deadline the outcome is unknown: it may still commit, or never.
   */
  async #commitStatus(
    transaction: Transaction,
    submitted: SubmittedTransaction,
    deadline: number,
  ): Promise<Status> {
    const started = Date.now();
    let handedOver = started;
    for (;;) {
      try {
        return await submitted.getStatus({ deadline: Math.min(handedOver + RESUBMIT_AFTER_MS, deadline) });
      } catch (err) {
        if (Date.now() + RESEND_AFTER_MS >= deadline) {
          throw new CommitUnknownError(
            transaction.getTransactionId(),
            `was sent for ordering but its commit was not confirmed within ${seconds(Date.now() - started)} s`,
            { cause: err },
          );
        }
        if (isDeadline(err)) {
          handedOver = Date.now();
          // A copy that fails to go changes nothing: the first hand-over stands, and is waited for.
          submitted = (await this.#order(transaction, deadline).catch(() => undefined)) ?? submitted;
        } else {
          await sleep(RESEND_AFTER_MS);
        }
      }
    }
  }

  /** Every transaction answers JSON (the chaincode's result serialiser); an empty result is undefined. */
  #result(bytes: Uint8Array): unknown {
    const text = this.#decoder.decode(bytes);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }

  #contract(who: Who, name: string): Contract {
    return this.network(who).getContract(this.config.network.chaincode.name, name);
  }

  /** API callers sign as themselves; the public resolver and the block listener use the regulator's identities. */
  #identity(who: Who): Identity {
    if (who === 'resolver') return this.#networkIdentity(this.config.regulatorOrg, 'resolver');
    if (who === 'listener') return this.#networkIdentity(this.config.regulatorOrg, 'user1');
    return { org: who.org, user: who.user, certPath: who.certPath, keyPath: who.keyPath };
  }

  /** One of the identities network.json lists for an organisation (user1, resolver). */
  #networkIdentity(org: string, name: string): Identity {
    const user = this.#org(org).users[name];
    if (!user) throw new LedgerUnavailableError(`no identity ${org}/${name} in network.json`);
    return { org, user: `network:${name}`, certPath: user.certPath, keyPath: user.keyPath };
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
        // An endorsement carries the write's whole write set back (about 0.4 MB per 1,000 packs commissioned):
        // gRPC's client default of 4 MB is not the ledger's limit; the peer's own (100 MB) is.
        'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      });
      this.#clients.set(org.peer.endpoint, client);
    }
    return client;
  }

  #gateway(who: Who): Gateway {
    return this.#gatewayOf(this.#identity(who));
  }

  #gatewayOf({ org: orgKey, user: userName, certPath, keyPath }: Identity): Gateway {
    const cacheKey = `${orgKey}/${userName}`;
    let gateway = this.#gateways.get(cacheKey);
    if (!gateway) {
      const org = this.#org(orgKey);
      // Defaults for calls made without their own deadline; submit() passes the write's own per call.
      const { evaluateTimeoutMs, endorseTimeoutMs, submitTimeoutMs, writeTimeoutMs } = this.config;
      const key = createPrivateKey(readFileSync(keyPath));
      const fastSigner = nodeP256Signer(key);
      gateway = connect({
        client: this.#client(org),
        identity: { mspId: org.mspId, credentials: readFileSync(certPath) },
        // OpenSSL signs (it hashes the whole message itself); other key types keep fabric-gateway's signer.
        ...(fastSigner
          ? { signer: fastSigner, hash: hash.none }
          : { signer: signers.newPrivateKeySigner(key) }),
        evaluateOptions: () => ({ deadline: Date.now() + evaluateTimeoutMs }),
        endorseOptions: () => ({ deadline: Date.now() + endorseTimeoutMs }),
        submitOptions: () => ({ deadline: Date.now() + submitTimeoutMs }),
        commitStatusOptions: () => ({ deadline: Date.now() + writeTimeoutMs }),
        // Under mutual TLS a peer accepts a block-event (deliver) request only when it names the hash of the
        // TLS client certificate the connection presented; without it every listener is refused.
        tlsClientCertificateHash: tlsCertificateHash(org.peer.tlsClientCertPath),
      });
      this.#gateways.set(cacheKey, gateway);
    }
    return gateway;
  }
}
