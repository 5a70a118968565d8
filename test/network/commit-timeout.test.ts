/**
 * A write whose commit is not confirmed within the gateway's write deadline says so: 503 COMMIT_TIMEOUT with its
 * txId (never "not reachable"), and nothing is half-done. The channel's block cutting is set, on the running
 * network (network.sh batch), to wait longer than the write deadline, so a lone commission is endorsed and
 * ordered but its block is not cut in time; the block cutting is then set back, the transaction commits whole,
 * and repeating the request under its Idempotency-Key answers the same serials without commissioning more.
 * Raft only: SmartBFT followers take a request the leader holds back that long for censorship and change the view.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { api } from '../support/http';
import { newLot } from '../support/ids';
import { networkScript, readNetwork } from '../support/paths';
import { expectStatus, registerProduct } from '../e2e/supply-chain';

/** The gateway's write deadline (gateway.sh passes WRITE_TIMEOUT_MS through; 20 s unless set). */
const WRITE_TIMEOUT_MS = Number(process.env.WRITE_TIMEOUT_MS ?? 20_000);
const yamlValue = (path: string): string =>
  execFileSync('node', [networkScript.replace(/network\.sh$/, 'lib/network-config.js'), 'get', path], {
    encoding: 'utf8',
  }).trim();
const blockCutting = (timeout: string, count: string): void => {
  execFileSync('bash', [networkScript, 'batch', timeout, count], { stdio: 'ignore', timeout: 120_000 });
};

const describeRaft = readNetwork().ordering.consensus === 'raft' ? describe : describe.skip;

describeRaft('a commission whose commit outlives the write deadline (Raft)', () => {
  const timeout = yamlValue('ordering.batchTimeout');
  const count = yamlValue('ordering.maxMessageCount');
  let gtin: string;
  let restored = false;
  const restore = (): void => {
    if (!restored) blockCutting(timeout, count);
    restored = true;
  };

  beforeAll(async () => {
    gtin = await registerProduct();
    blockCutting(`${WRITE_TIMEOUT_MS + 20_000}ms`, count);
  });
  afterAll(restore);

  it('answers 503 COMMIT_TIMEOUT with its txId; the write then commits whole, and its repeat adds nothing', async () => {
    const lot = newLot();
    const key = `commit-timeout-${lot}`;
    const commission = () =>
      api<{ serials: string[]; unitCount: number; replayed?: boolean }>('POST', '/v1/batches', {
        as: 'manufacturer',
        body: { gtin, lot, expiry: '2028-06-30', manufacturedOn: '2026-11-01', quantity: 5 },
        headers: { 'idempotency-key': key },
      });

    const started = Date.now();
    const first = await commission();
    const answeredMs = Date.now() - started;
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({
      code: 'COMMIT_TIMEOUT',
      txId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const txId = (first.body as unknown as { txId: string; detail: string }).txId;
    const detail = (first.body as unknown as { detail: string }).detail;
    expect(detail).toContain(`GET /v1/transactions/${txId}`);
    expect(detail).toMatch(/outcome is unknown/);
    expect(detail).not.toMatch(/not reachable/);
    expect(first.headers.get('retry-after')).toBeTruthy();
    // Liveness: the answer came at the write deadline, not after the block was cut.
    expect(answeredMs).toBeGreaterThanOrEqual(WRITE_TIMEOUT_MS - 1000);
    expect(answeredMs).toBeLessThan(WRITE_TIMEOUT_MS + 10_000);

    // Not committed yet, and nothing of it is visible: no half of the lot.
    const pending = await api<{ status: string }>('GET', `/v1/transactions/${txId}`, { as: 'manufacturer' });
    expectStatus(pending, 200);
    expect(pending.body.status).toBe('UNKNOWN');
    const before = await api('GET', `/v1/batches/${gtin}/${lot}`, { as: 'manufacturer' });
    expect(before.status).toBe(404);

    restore();
    let status = 'UNKNOWN';
    for (let i = 0; i < 30 && status !== 'COMMITTED'; i++) {
      const t = await api<{ status: string }>('GET', `/v1/transactions/${txId}`, { as: 'manufacturer' });
      status = t.body.status;
      if (status !== 'COMMITTED') await sleep(1000);
    }
    expect(status).toBe('COMMITTED');

    const repeat = await commission();
    expectStatus(repeat, 201);
    expect(repeat.body.replayed).toBe(true);
    expect(repeat.body.serials).toHaveLength(5);
    const batch = await api<{ quantity: number }>('GET', `/v1/batches/${gtin}/${lot}`, {
      as: 'manufacturer',
    });
    expectStatus(batch, 200);
    expect(batch.body.quantity).toBe(5);
  });
});
