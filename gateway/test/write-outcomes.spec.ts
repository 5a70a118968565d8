import { StatusCode } from '@hyperledger/fabric-gateway';
import request from 'supertest';
import { CommitUnknownError, LedgerTimeoutError, LedgerUnavailableError } from '../src/fabric/fabric-errors';
import { STATUS_WAIT_MS } from '../src/transactions/transactions.service';
import { createTestApp, TestApp } from './test-app';

const TX_ID = '3f9a0c1e5b7d2a4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d';
const DISPENSE = '/v1/units/09506000134352/X7K2M9Q4P1Z8/dispense';

describe('writes that do not finish in time, and GET /v1/transactions/{txId}', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await createTestApp();
  });
  afterAll(() => sut.close());
  beforeEach(() => jest.clearAllMocks());

  describe('a write past its deadline says what happened', () => {
    it('an endorsement timeout: 504 TIMEOUT with Retry-After, no transaction to ask about', async () => {
      sut.ledger.submit.mockRejectedValue(
        new LedgerTimeoutError('the peers did not endorse the transaction within 15 s; nothing was written'),
      );
      const res = await request(sut.http).post(DISPENSE).set(sut.bearer('pharmacy')).expect(504);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({
        status: 504,
        code: 'TIMEOUT',
        detail: 'the peers did not endorse the transaction within 15 s; nothing was written',
      });
      expect(res.body.txId).toBeUndefined();
      expect(res.body.detail).not.toMatch(/not reachable/);
    });

    it('an unconfirmed commit: 503 COMMIT_TIMEOUT with Retry-After and the txId, outcome unknown', async () => {
      sut.ledger.submit.mockRejectedValue(
        new CommitUnknownError(TX_ID, 'was sent for ordering but its commit was not confirmed within 20 s'),
      );
      const res = await request(sut.http).post(DISPENSE).set(sut.bearer('pharmacy')).expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).toMatchObject({ status: 503, code: 'COMMIT_TIMEOUT', txId: TX_ID });
      expect(res.body.detail).toContain(`transaction ${TX_ID} was sent for ordering`);
      expect(res.body.detail).toContain('its outcome is unknown');
      expect(res.body.detail).toContain(`GET /v1/transactions/${TX_ID}`);
    });

    it('the network out of reach stays 503 UNAVAILABLE, without a txId', async () => {
      sut.ledger.submit.mockRejectedValue(new LedgerUnavailableError());
      const res = await request(sut.http).post(DISPENSE).set(sut.bearer('pharmacy')).expect(503);
      expect(res.body).toMatchObject({ code: 'UNAVAILABLE' });
      expect(res.body.txId).toBeUndefined();
    });
  });

  describe('GET /v1/transactions/{txId}', () => {
    const get = (txId = TX_ID) =>
      request(sut.http).get(`/v1/transactions/${txId}`).set(sut.bearer('pharmacy'));

    it("committed: its block, asked of the caller's own peer as the caller", async () => {
      sut.ledger.transactionStatus.mockResolvedValue({ code: StatusCode.VALID, blockNumber: 42n });
      const res = await get().expect(200);
      expect(res.body).toEqual({
        txId: TX_ID,
        status: 'COMMITTED',
        blockNumber: 42,
        validationCode: 'VALID',
      });
      expect(sut.ledger.transactionStatus).toHaveBeenCalledWith(
        expect.objectContaining({ org: 'pharmacy', mspId: 'PharmacyMSP' }),
        TX_ID,
        STATUS_WAIT_MS,
      );
    });

    it('invalid: its block and validation code', async () => {
      sut.ledger.transactionStatus.mockResolvedValue({
        code: StatusCode.MVCC_READ_CONFLICT,
        blockNumber: 43n,
      });
      const res = await get().expect(200);
      expect(res.body).toEqual({
        txId: TX_ID,
        status: 'INVALID',
        blockNumber: 43,
        validationCode: 'MVCC_READ_CONFLICT',
      });
    });

    it('unknown: the peer has not committed it', async () => {
      sut.ledger.transactionStatus.mockResolvedValue(undefined);
      const res = await get().expect(200);
      expect(res.body).toEqual({ txId: TX_ID, status: 'UNKNOWN' });
    });

    it('503 (not UNKNOWN) when the peer cannot be asked', async () => {
      sut.ledger.transactionStatus.mockRejectedValue(new LedgerUnavailableError());
      const res = await get().expect(503);
      expect(res.body.code).toBe('UNAVAILABLE');
    });

    it.each(['xyz', TX_ID.toUpperCase(), `${TX_ID}0`, TX_ID.slice(1)])(
      '400 for a malformed id (%s), before any ledger call',
      async (txId) => {
        const res = await get(txId).expect(400);
        expect(res.body).toMatchObject({
          code: 'INVALID',
          detail: expect.stringMatching(/64 lowercase hex/),
        });
        expect(sut.ledger.transactionStatus).not.toHaveBeenCalled();
      },
    );

    it('401 without a key', async () => {
      const res = await request(sut.http).get(`/v1/transactions/${TX_ID}`).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      expect(sut.ledger.transactionStatus).not.toHaveBeenCalled();
    });

    it('is in the OpenAPI document', async () => {
      const res = await request(sut.http).get('/docs-json').expect(200);
      expect(res.body.paths['/v1/transactions/{txId}'].get).toBeDefined();
    });
  });
});
