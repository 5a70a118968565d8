import { Metadata, status } from '@grpc/grpc-js';
import {
  CommitError,
  CommitStatusError,
  EndorseError,
  GatewayError,
  StatusCode,
} from '@hyperledger/fabric-gateway';
import { SubmitError } from '@hyperledger/fabric-gateway/dist/submiterror';
import { CodeParseError, DomainError } from '@drugtrace/chaincode/domain';
import {
  CommitUnknownError,
  isEndorsementMismatch,
  isEndorsersNotReady,
  LedgerTimeoutError,
  LedgerUnavailableError,
  toDomainError,
} from './fabric-errors';

const cause = (code: number, details: string) =>
  Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new Metadata() });

const endorseError = (code: number, message: string, detailMessages: string[]) =>
  new EndorseError({
    code,
    message,
    transactionId: 'tx1',
    cause: cause(code, message),
    details: detailMessages.map((m, i) => ({
      address: `peer${i}.manufacturer.drugtrace.local:7051`,
      mspId: 'ManufacturerMSP',
      message: m,
    })),
  });

describe(toDomainError.name, () => {
  it("takes the chaincode's code from an endorsing peer's detail and drops Fabric's wording", () => {
    const err = endorseError(
      status.ABORTED,
      '10 ABORTED: failed to endorse transaction, see attached details for more info',
      ['chaincode response 500, CONFLICT: unit 09506000134352/X7K2 is DISPENSED'],
    );
    const mapped = toDomainError(err) as DomainError;
    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped.code).toBe('CONFLICT');
    expect(mapped.detail).toBe('unit 09506000134352/X7K2 is DISPENSED');
    expect(mapped.message).not.toMatch(/chaincode response|peer0|ABORTED/);
  });

  it("keeps the AI and position of the chaincode's refusal of a malformed code", () => {
    const err = endorseError(status.ABORTED, '10 ABORTED: failed to endorse transaction', [
      'chaincode response 500, INVALID: AI (21) at position 0: a pack code needs a GTIN (01) and a serial (21)',
    ]);
    const mapped = toDomainError(err) as CodeParseError;
    expect(mapped).toBeInstanceOf(CodeParseError);
    expect(mapped).toMatchObject({ code: 'INVALID', ai: '21', position: 0 });
    expect(
      toDomainError(endorseError(status.ABORTED, 'x', ['INVALID: quantity must be 1..1000'])),
    ).not.toBeInstanceOf(CodeParseError);
  });

  it('takes the code from the message of an evaluate error', () => {
    const err = new GatewayError({
      code: status.UNKNOWN,
      message:
        '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: product 09506000134352 is not registered',
      details: [],
      cause: cause(status.UNKNOWN, 'x'),
    });
    expect(toDomainError(err)).toEqual(
      new DomainError('NOT_FOUND', 'product 09506000134352 is not registered'),
    );
  });

  it('gRPC UNAVAILABLE is the network being unavailable (503)', () => {
    const err = endorseError(status.UNAVAILABLE, '14 No connection established', []);
    expect(toDomainError(err)).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
  });

  it('an endorsement too large for one gRPC message is a 400 saying so, not "unreachable"', () => {
    const message = '8 RESOURCE_EXHAUSTED: Received message larger than max (24313856 vs 4194304)';
    const mapped = toDomainError(endorseError(status.RESOURCE_EXHAUSTED, message, []));
    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped).toMatchObject({ code: 'INVALID' });
    expect((mapped as DomainError).detail).toMatch(/nothing was written: send fewer items per request$/);
  });

  it('RESOURCE_EXHAUSTED without a size limit (a peer shedding load) stays unavailable (503)', () => {
    const mapped = toDomainError(endorseError(status.RESOURCE_EXHAUSTED, '8 too many requests', []));
    expect(mapped).toBeInstanceOf(LedgerUnavailableError);
    expect(mapped).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
  });

  it('an endorsement past its deadline is a timeout (504) that wrote nothing, not "unreachable"', () => {
    const mapped = toDomainError(endorseError(status.DEADLINE_EXCEEDED, '4 Deadline exceeded', []));
    expect(mapped).toBeInstanceOf(LedgerTimeoutError);
    expect(mapped).toMatchObject({ code: 'TIMEOUT', status: 504, txId: undefined });
    expect((mapped as LedgerTimeoutError).detail).toMatch(/nothing was written/);
  });

  it('an evaluation past its deadline is a timeout (504)', () => {
    const err = new GatewayError({
      code: status.DEADLINE_EXCEEDED,
      message: '4 DEADLINE_EXCEEDED',
      details: [],
      cause: cause(status.DEADLINE_EXCEEDED, 'x'),
    });
    expect(toDomainError(err)).toMatchObject({ code: 'TIMEOUT', detail: 'the peer did not answer in time' });
  });

  it('too few live peers for the endorsement policy is unavailable (503), not an internal error', () => {
    const message =
      '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy';
    expect(toDomainError(endorseError(status.FAILED_PRECONDITION, message, []))).toBeInstanceOf(
      LedgerUnavailableError,
    );
  });

  it('a chaincode refusal reported with FAILED_PRECONDITION keeps its own code', () => {
    const err = endorseError(status.FAILED_PRECONDITION, 'failed', [
      'chaincode response 500, CONFLICT: taken',
    ]);
    expect(toDomainError(err)).toEqual(new DomainError('CONFLICT', 'taken'));
  });

  it.each([status.UNAVAILABLE, status.DEADLINE_EXCEEDED])(
    'a submit the ordering service did not confirm (gRPC %i) has an unknown outcome, with its txId',
    (code) => {
      const err = new SubmitError({
        code,
        message: 'no orderer',
        transactionId: 't',
        details: [],
        cause: cause(code, 'x'),
      });
      expect(toDomainError(err)).toMatchObject({ code: 'COMMIT_TIMEOUT', status: 503, txId: 't' });
    },
  );

  it('an unknown commit outcome is COMMIT_TIMEOUT with its txId, never a conflict', () => {
    const err = new CommitStatusError({
      code: status.DEADLINE_EXCEEDED,
      message: 'deadline',
      transactionId: 't',
      details: [],
      cause: cause(4, 'x'),
    });
    const mapped = toDomainError(err);
    expect(mapped).toBeInstanceOf(CommitUnknownError);
    expect(mapped).toMatchObject({ code: 'COMMIT_TIMEOUT', status: 503, txId: 't' });
    expect((mapped as CommitUnknownError).detail).toMatch(
      /^transaction t was sent for ordering but its commit was not confirmed; its outcome is unknown: GET \/v1\/transactions\/t/,
    );
  });

  it('an MVCC read conflict is a conflict (its validation code is not read as a gRPC status)', () => {
    const err = new CommitError({
      code: StatusCode.MVCC_READ_CONFLICT,
      transactionId: 't',
      message: 'invalid',
    });
    expect(toDomainError(err)).toMatchObject({ code: 'CONFLICT' });
  });

  it('another validation failure is a conflict naming the validation code', () => {
    const err = new CommitError({
      code: StatusCode.ENDORSEMENT_POLICY_FAILURE,
      transactionId: 't',
      message: 'invalid',
    });
    expect(toDomainError(err)).toEqual(
      new DomainError('CONFLICT', 'the ledger did not commit the transaction (ENDORSEMENT_POLICY_FAILURE)'),
    );
  });

  it('leaves an unrecognised error as it is (the filter answers a bare 500)', () => {
    const err = new TypeError('boom');
    expect(toDomainError(err)).toBe(err);
  });
});

describe(isEndorsersNotReady.name, () => {
  const noPlan =
    '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy';

  it('is true when discovery found no endorsers, or an endorser was out of reach, before any chaincode ran', () => {
    expect(isEndorsersNotReady(endorseError(status.FAILED_PRECONDITION, noPlan, []))).toBe(true);
    expect(isEndorsersNotReady(endorseError(status.UNAVAILABLE, 'connection refused', []))).toBe(true);
  });

  it("is false for the chaincode's own refusal, a deadline, or an error after ordering", () => {
    const refused = endorseError(status.FAILED_PRECONDITION, 'failed', [
      'chaincode response 500, CONFLICT: x',
    ]);
    expect(isEndorsersNotReady(refused)).toBe(false);
    expect(isEndorsersNotReady(endorseError(status.DEADLINE_EXCEEDED, 'slow', []))).toBe(false);
    const afterOrdering = new SubmitError({
      code: status.UNAVAILABLE,
      message: 'no orderer',
      transactionId: 't',
      details: [],
      cause: cause(status.UNAVAILABLE, 'x'),
    });
    expect(isEndorsersNotReady(afterOrdering)).toBe(false);
  });
});

describe(isEndorsementMismatch.name, () => {
  const aborted =
    '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info';

  it('is true when endorsers answered differently, and maps to a 409 saying nothing was written', () => {
    const err = endorseError(status.ABORTED, aborted, ['ProposalResponsePayloads do not match']);
    expect(isEndorsementMismatch(err)).toBe(true);
    const mapped = toDomainError(err) as DomainError;
    expect(mapped).toBeInstanceOf(DomainError);
    expect(mapped.code).toBe('CONFLICT');
    expect(mapped.message).toMatch(/nothing was written; retry/);
    expect(mapped.message).not.toMatch(/ProposalResponsePayloads|ABORTED/);
  });

  it("is false for the chaincode's own refusal and for other endorsement failures", () => {
    expect(
      isEndorsementMismatch(endorseError(status.ABORTED, aborted, ['chaincode response 500, CONFLICT: x'])),
    ).toBe(false);
    expect(isEndorsementMismatch(endorseError(status.UNAVAILABLE, 'connection refused', []))).toBe(false);
  });
});
