import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  CommitError,
  CommitStatusError,
  EndorseError,
  GatewayError,
  StatusCode,
  type SubmitError,
} from '@hyperledger/fabric-gateway';
import {
  CodeParseError,
  DomainError,
  errorCodeOf,
  errorDetailOf,
  refusalOf,
} from '@drugtrace/chaincode/domain';

/**
 * The ledger could not do what was asked now; the client may try again later (503 with Retry-After).
 * `code` says what happened: the network out of reach (UNAVAILABLE), a step that did not finish within its
 * deadline with nothing written (TIMEOUT, 504), or a transaction sent for ordering whose commit was not
 * confirmed in time (COMMIT_TIMEOUT, with its `txId`: its outcome is unknown).
 */
export class LedgerUnavailableError extends Error {
  readonly code: 'UNAVAILABLE' | 'TIMEOUT' | 'COMMIT_TIMEOUT' = 'UNAVAILABLE';
  readonly status: number = 503;
  readonly txId?: string;

  constructor(
    readonly detail = 'the ledger network is not reachable right now; try again shortly',
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = 'LedgerUnavailableError';
  }
}

/** A ledger call did not finish within its deadline, and nothing was written: a gateway timeout (504). */
export class LedgerTimeoutError extends LedgerUnavailableError {
  override readonly code = 'TIMEOUT';
  override readonly status = 504;

  constructor(detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = 'LedgerTimeoutError';
  }
}

/**
 * A signed transaction went to the ordering service, and whether it committed was not known by the write
 * deadline: it may still commit, or never. The client asks GET /v1/transactions/{txId}; repeating a
 * dispense, receive or ship is safe anyway, since the chaincode refuses to do it twice (409).
 */
export class CommitUnknownError extends LedgerUnavailableError {
  override readonly code = 'COMMIT_TIMEOUT';
  override readonly txId: string;

  constructor(txId: string, why: string, options?: { cause?: unknown }) {
    super(
      `transaction ${txId} ${why}; its outcome is unknown: GET /v1/transactions/${txId} tells whether it ` +
        'committed (check before repeating a request that is not refused twice, such as a commission by quantity ' +
        'without an Idempotency-Key; under its key a commission is safe to repeat)',
      options,
    );
    this.name = 'CommitUnknownError';
    this.txId = txId;
  }
}

/** Commit validation codes that mean "someone else changed what this transaction read": a re-endorsement sees it. */
export const CONCURRENCY_CODES: ReadonlySet<number> = new Set([
  StatusCode.MVCC_READ_CONFLICT,
  StatusCode.PHANTOM_READ_CONFLICT,
]);

/**
 * Commit failures a new endorsement may cure: the concurrency codes, and an endorsement-policy failure, which is
 * what a transaction gets when an earlier one in the same block changed the key-level policy of a key it writes
 * (the pack's custody moved). Re-endorsing re-runs every chaincode check on the current state, so it cannot
 * apply anything twice, and a forged endorsement fails again.
 */
export const RETRYABLE_COMMIT_CODES: ReadonlySet<number> = new Set([
  ...CONCURRENCY_CODES,
  StatusCode.ENDORSEMENT_POLICY_FAILURE,
]);

const UNAVAILABLE: ReadonlySet<number> = new Set([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.CANCELLED,
]);

/**
 * FAILED_PRECONDITION without a chaincode code: the peer's gateway found too few live peers for the
 * endorsement policy (a peer down, or discovery still warming up after a restart). The client may retry.
 */
const NO_ENDORSERS = GrpcStatus.FAILED_PRECONDITION;

/**
 * RESOURCE_EXHAUSTED is also what gRPC says of a message past its size limit ("Received message larger than
 * max"): a proposal or its endorsement too large to carry, which waiting does not cure; not the network down.
 */
const TOO_LARGE = /larger than max/i;
const tooLarge = (err: GatewayError): boolean =>
  err.code === GrpcStatus.RESOURCE_EXHAUSTED &&
  [err.message, ...err.details.map((d) => d.message)].some((text) => TOO_LARGE.test(text));

const VALIDATION_NAMES = new Map<number, string>(
  Object.entries(StatusCode).map(([name, code]) => [code, name]),
);

/**
 * An endorsement that found no peers to ask, or could not reach one of them, before any chaincode ran: nothing
 * was signed or sent, so asking again is safe. Gossip discovery learns a started or restarted peer within
 * seconds, and until then a plan that needs it cannot be made.
 */
export const isEndorsersNotReady = (err: unknown): boolean =>
  err instanceof EndorseError &&
  (UNAVAILABLE.has(err.code) || err.code === NO_ENDORSERS) &&
  !chaincodeError(err);

/**
 * Endorsers whose answers differ: under concurrent changes of the same keys, two peers at different block heights
 * read different versions and so write different sets. Nothing was sent for ordering; a new endorsement, once the
 * peers have caught up, agrees, so it is retried like an MVCC conflict.
 */
const MISMATCH = /ProposalResponsePayloads do not match/i;
export const isEndorsementMismatch = (err: unknown): boolean =>
  err instanceof EndorseError &&
  err.code === GrpcStatus.ABORTED &&
  err.details.some((d) => MISMATCH.test(d.message));

/** The name of a Fabric validation code (VALID, MVCC_READ_CONFLICT, …). */
export const validationCodeName = (code: number): string => VALIDATION_NAMES.get(code) ?? String(code);

/** fabric-gateway 1.11 exports SubmitError as a type only, so it is known by its name. */
export const isSubmitError = (err: unknown): err is SubmitError =>
  err instanceof GatewayError && err.name === 'SubmitError';

/** The chaincode's "CODE: detail" wherever Fabric put it: an endorsing peer's detail, or the message itself. */
function chaincodeError(err: GatewayError): DomainError | undefined {
  for (const text of [...err.details.map((d) => d.message), err.message]) {
    const code = errorCodeOf(text);
    if (code) {
      const { detail, refusal } = refusalOf(
        (errorDetailOf(text) ?? text)
          .slice(code.length + 2)
          .split('\n')[0]
          .trim(),
      );
      // A malformed code keeps its AI and position, as when the gateway's own parser refuses it.
      return (
        (code === 'INVALID' && CodeParseError.fromDetail(detail)) || new DomainError(code, detail, refusal)
      );
    }
  }
  return undefined;
}

/**
 * Fabric errors to domain errors, so only the exception filter knows HTTP: the chaincode's stable code,
 * commit validation failures as conflicts, unreachable or slow network as unavailable or timed out, a
 * transaction sent for ordering without a known outcome as such (with its ID). Fabric's own wording, peer
 * addresses and stacks never travel further; anything unrecognised is returned as is (the filter answers a
 * bare 500 and logs it).
 */
export function toDomainError(err: unknown): unknown {
  if (err instanceof DomainError || err instanceof LedgerUnavailableError) return err;
  if (err instanceof CommitError) {
    const name = validationCodeName(err.code);
    return CONCURRENCY_CODES.has(err.code)
      ? new DomainError(
          'CONFLICT',
          'the ledger changed concurrently and the transaction was not committed; retry',
        )
      : new DomainError('CONFLICT', `the ledger did not commit the transaction (${name})`);
  }
  // Sent, or perhaps sent, to the ordering service: never retried blindly, the client checks first.
  if (err instanceof CommitStatusError)
    return new CommitUnknownError(
      err.transactionId,
      'was sent for ordering but its commit was not confirmed',
      {
        cause: err,
      },
    );
  if (isSubmitError(err) && err.code !== GrpcStatus.ABORTED)
    return new CommitUnknownError(err.transactionId, 'was not confirmed taken by the ordering service', {
      cause: err,
    });
  if (err instanceof GatewayError) {
    const coded = chaincodeError(err);
    if (coded) return coded;
    if (isEndorsementMismatch(err))
      return new DomainError(
        'CONFLICT',
        'the endorsing peers disagreed while the ledger changed concurrently; nothing was written; retry',
      );
    if (err.code === GrpcStatus.DEADLINE_EXCEEDED)
      return new LedgerTimeoutError(
        err instanceof EndorseError
          ? 'the peers did not endorse the transaction in time; nothing was written'
          : 'the peer did not answer in time',
        { cause: err },
      );
    if (tooLarge(err))
      return new DomainError(
        'INVALID',
        err instanceof EndorseError
          ? 'the transaction is larger than the ledger network carries in one message; nothing was written: ' +
              'send fewer items per request'
          : 'the answer is larger than the ledger network carries in one message; ask for fewer items',
      );
    if (UNAVAILABLE.has(err.code) || err.code === NO_ENDORSERS)
      return new LedgerUnavailableError(undefined, { cause: err });
  }
  return err;
}
