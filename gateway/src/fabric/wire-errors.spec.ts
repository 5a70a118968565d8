import { CodeParseError, DomainError } from '@drugtrace/chaincode/domain';
import { CommitUnknownError, LedgerTimeoutError, LedgerUnavailableError } from './fabric-errors';
import { fromWire, toWire } from './wire-errors';

/** An error as the other thread gets it: described, structurally cloned, rebuilt. */
const across = (err: unknown): Error => fromWire(structuredClone(toWire(err)));

describe('errors across the write thread', () => {
  it('rebuilds a domain error with its class, code, detail and refusal', () => {
    const back = across(new DomainError('CONFLICT', 'already dispensed', 'STATUS_ALREADY_SET'));
    expect(back).toBeInstanceOf(DomainError);
    expect(back).toMatchObject({
      code: 'CONFLICT',
      detail: 'already dispensed',
      refusal: 'STATUS_ALREADY_SET',
      message: 'CONFLICT: already dispensed [STATUS_ALREADY_SET]',
      name: 'DomainError',
    });
  });

  it('rebuilds a code parse error with its position, reason and AI', () => {
    const back = across(new CodeParseError(7, 'not a digit', '01'));
    expect(back).toBeInstanceOf(CodeParseError);
    expect(back).toMatchObject({ code: 'INVALID', position: 7, reason: 'not a digit', ai: '01' });
  });

  it('rebuilds the ledger errors with their status, and a commit unknown with its transaction ID', () => {
    const unknown = across(new CommitUnknownError('tx1', 'was not confirmed'));
    expect(unknown).toBeInstanceOf(CommitUnknownError);
    expect(unknown).toMatchObject({ txId: 'tx1', code: 'COMMIT_TIMEOUT', status: 503 });
    expect((unknown as CommitUnknownError).detail).toContain('GET /v1/transactions/tx1');
    const timeout = across(new LedgerTimeoutError('endorsement took too long'));
    expect(timeout).toBeInstanceOf(LedgerTimeoutError);
    expect(timeout).toMatchObject({ code: 'TIMEOUT', status: 504, detail: 'endorsement took too long' });
    expect(across(new LedgerUnavailableError())).toBeInstanceOf(LedgerUnavailableError);
  });

  it("keeps what the error was caused by, in words and not enumerable, with the peers' details", () => {
    const grpc = Object.assign(new Error('14 UNAVAILABLE: connection refused'), {
      details: [{ address: '127.0.0.1:7051', mspId: 'PharmacyMSP', message: 'connection refused' }],
    });
    const back = across(new LedgerUnavailableError(undefined, { cause: grpc }));
    expect(back.cause).toMatch(/^14 UNAVAILABLE: connection refused \(.*127\.0\.0\.1:7051.*PharmacyMSP/);
    expect(Object.keys(back)).not.toContain('cause');
    expect(across(new LedgerTimeoutError('slow')).cause).toBeUndefined();
  });

  it('keeps the stack of the thread the error was thrown on', () => {
    const original = new DomainError('NOT_FOUND', 'no such pack');
    expect(across(original).stack).toBe(original.stack);
  });

  it('turns any other error into a plain Error with its message and no fields', () => {
    const grpcLike = Object.assign(new TypeError('socket closed'), { code: 14, metadata: { secret: 'x' } });
    const back = across(grpcLike);
    expect(back.constructor).toBe(Error);
    expect(back.message).toBe('socket closed');
    expect(back).not.toHaveProperty('code');
    expect(across('a thrown string')).toMatchObject({ message: 'a thrown string' });
  });
});
