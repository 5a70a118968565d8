import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, CommitStatusError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { DomainError, errorCodeOf, errorDetailOf } from '@drugtrace/chaincode/domain';

/** The network (peer, orderer) cannot be reached now, or did not answer in time: the client may retry later. */
export class LedgerUnavailableError extends Error {
  constructor(
    readonly detail = 'the ledger network is not reachable right now; try again shortly',
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = 'LedgerUnavailableError';
  }
}

/** Commit validation codes that mean "someone else changed what this transaction read": a re-endorsement sees it. */
export const CONCURRENCY_CODES: ReadonlySet<number> = new Set([
  StatusCode.MVCC_READ_CONFLICT,
  StatusCode.PHANTOM_READ_CONFLICT,
]);

const UNAVAILABLE: ReadonlySet<number> = new Set([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.CANCELLED,
]);

/**
 * FAILED_PRECONDITION without a chaincode code: the peer's gateway found too few live peers for the
 * endorsement policy (a peer down, or discovery still warming up after a restart). The client may retry.
 */
const NO_ENDORSERS = GrpcStatus.FAILED_PRECONDITION;

const VALIDATION_NAMES = new Map<number, string>(
  Object.entries(StatusCode).map(([name, code]) => [code, name]),
);

/** The chaincode's "CODE: detail" wherever Fabric put it: an endorsing peer's detail, or the message itself. */
function chaincodeError(err: GatewayError): DomainError | undefined {
  for (const text of [...err.details.map((d) => d.message), err.message]) {
    const code = errorCodeOf(text);
    if (code) {
      const detail = (errorDetailOf(text) ?? text)
        .slice(code.length + 2)
        .split('\n')[0]
        .trim();
      return new DomainError(code, detail);
    }
  }
  return undefined;
}

/**
 * Fabric errors to domain errors, so only the exception filter knows HTTP: the chaincode's stable code,
 * commit validation failures as conflicts, unreachable or slow network as unavailable. Fabric's own
 * wording, peer addresses and stacks never travel further; anything unrecognised is returned as is
 * (the filter answers a bare 500 and logs it).
 */
export function toDomainError(err: unknown): unknown {
  if (err instanceof DomainError || err instanceof LedgerUnavailableError) return err;
  if (err instanceof CommitError) {
    const name = VALIDATION_NAMES.get(err.code) ?? String(err.code);
    return CONCURRENCY_CODES.has(err.code)
      ? new DomainError(
          'CONFLICT',
          'the ledger changed concurrently and the transaction was not committed; retry',
        )
      : new DomainError('CONFLICT', `the ledger did not commit the transaction (${name})`);
  }
  // The transaction was sent but whether it committed is unknown: never retried, the client checks later.
  if (err instanceof CommitStatusError) {
    return new LedgerUnavailableError(
      'the transaction was sent but its commit was not confirmed in time; check before retrying',
      {
        cause: err,
      },
    );
  }
  if (err instanceof GatewayError) {
    const coded = chaincodeError(err);
    if (coded) return coded;
    if (UNAVAILABLE.has(err.code) || err.code === NO_ENDORSERS)
      return new LedgerUnavailableError(undefined, { cause: err });
  }
  return err;
}
