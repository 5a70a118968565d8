import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError, errorCodeOf, errorDetailOf } from '@drugtrace/chaincode/domain';

/** The network (peer, orderer) cannot be reached now: the client may retry later. */
export class LedgerUnavailableError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'LedgerUnavailableError';
  }
}

const UNAVAILABLE = new Set<number>([GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED, GrpcStatus.CANCELLED, GrpcStatus.RESOURCE_EXHAUSTED]);

interface FabricLikeError {
  message?: string;
  code?: number;
  details?: { message?: string }[];
}

/**
 * Fabric errors to domain errors: the chaincode's stable code ("CONFLICT: …") wherever Fabric put it
 * (message or endorsement details), gRPC unavailability to LedgerUnavailableError. Fabric's own wording
 * and stack never travel further.
 */
export function toDomainError(err: unknown): Error {
  if (err instanceof DomainError || err instanceof LedgerUnavailableError) return err;
  const e = (err ?? {}) as FabricLikeError;
  const texts = [e.message ?? '', ...(e.details ?? []).map((d) => d.message ?? '')];
  for (const text of texts) {
    const code = errorCodeOf(text);
    if (code) {
      const detail = (errorDetailOf(text) ?? text).replace(/^\w+: /, '');
      return new DomainError(code, detail.split('\n')[0]);
    }
  }
  if (typeof e.code === 'number' && UNAVAILABLE.has(e.code)) return new LedgerUnavailableError('the ledger network is not reachable right now');
  if (texts.some((t) => /ECONNREFUSED|failed to connect|No connection established|UNAVAILABLE/.test(t))) {
    return new LedgerUnavailableError('the ledger network is not reachable right now');
  }
  return err instanceof Error ? err : new Error(String(err));
}
