import { CodeParseError, DomainError } from '@drugtrace/chaincode/domain';
import { inspect } from 'node:util';
import { CommitUnknownError, LedgerTimeoutError, LedgerUnavailableError } from './fabric-errors';

/**
 * The errors a write may end in, by name: the domain errors the problem filter answers (their class decides the
 * status and problem type). A structured clone between threads keeps an error's message and stack only.
 */
const KNOWN = {
  CodeParseError,
  DomainError,
  CommitUnknownError,
  LedgerTimeoutError,
  LedgerUnavailableError,
} as const;

/** An error as it crosses from the write thread to the gateway's own. */
export interface WireError {
  kind: keyof typeof KNOWN | 'Error';
  message: string;
  stack?: string;
  /** The error's own fields (code, detail, txId, refusal, position…). */
  fields: Record<string, unknown>;
  /** What it was caused by (a gRPC failure behind a ledger error), in words, for the log. */
  cause?: string;
}

const kindOf = (err: Error): WireError['kind'] => {
  const kind = Object.keys(KNOWN).find((name) => err.constructor === KNOWN[name as keyof typeof KNOWN]);
  return (kind as keyof typeof KNOWN | undefined) ?? 'Error';
};

/** An error's cause in words: its message, and fabric-gateway's per-peer details when it has them. */
function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  if (!(cause instanceof Error)) return String(cause);
  const details = (cause as { details?: unknown }).details;
  return Array.isArray(details) && details.length > 0
    ? `${cause.message} (${details.map((detail) => inspect(detail, { breakLength: Infinity })).join('; ')})`
    : cause.message;
}

/** What an error thrown on the write thread is, in a form `fromWire` rebuilds on the other side. */
export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { kind: 'Error', message: String(err), fields: {} };
  const kind = kindOf(err);
  // An unrecognised error (a bug, or Fabric's own): its words and stack for the log, nothing to answer with.
  const fields = kind === 'Error' ? {} : { ...err };
  return { kind, message: err.message, stack: err.stack, fields, cause: describeCause(err.cause) };
}

/** The error `toWire` described: the same class and fields, so the problem filter answers as it would have. */
export function fromWire(wire: WireError): Error {
  const proto = wire.kind === 'Error' ? Error.prototype : KNOWN[wire.kind].prototype;
  // Built without its constructor: the fields are the original's, not recomputed from arguments.
  const err = Object.assign(Object.create(proto) as Error, wire.fields);
  Object.defineProperty(err, 'message', { value: wire.message, writable: true, configurable: true });
  if (wire.stack !== undefined)
    Object.defineProperty(err, 'stack', { value: wire.stack, writable: true, configurable: true });
  // Not enumerable, as `new Error(message, { cause })` makes it.
  if (wire.cause !== undefined)
    Object.defineProperty(err, 'cause', { value: wire.cause, writable: true, configurable: true });
  return err;
}
