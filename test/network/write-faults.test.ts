/**
 * Writes under an ordering fault: 60 dispenses through the REST gateway, 6 in flight, with the consensus
 * leader (Raft, or BFT when DRUGTRACE_CONSENSUS=bft) SIGKILLed mid-run. Every request is answered within
 * ANSWER_BOUND_MS; every acknowledged dispense is on another organisation's peer; every 503 naming a txId
 * resolves through GET /v1/transactions/{txId} and the ledger agrees; after the network is resumed,
 * repeating every unacknowledged dispense finishes every pack with exactly one dispense each. Also: the
 * transaction status route against a valid, an invalidated and an unknown transaction, and repeating a
 * committed ship, receive or dispense is refused (409) and changes nothing. Prints the figures README
 * quotes. Runs with the network tests: it stops and restarts an orderer.
 */
import { StatusCode } from '@hyperledger/fabric-gateway';
import { randomBytes } from 'node:crypto';
import { percentile } from '../bench/stats';
import {
  Batch,
  batchAtPharmacy,
  commissionBatch,
  expectProblem,
  expectStatus,
  glnOf,
  moveUnits,
  mspOf,
  shipUnits,
} from '../e2e/supply-chain';
import { connectAs, DirectConnection, json, regulatorKey } from '../support/fabric';
import { api, ApiResponse } from '../support/http';
import { pidOf, resumeNetwork, stopNode, until } from '../support/nodes';
import { orderingLeader } from '../support/operations';
import { readNetwork } from '../support/paths';

const REQUESTS = 60;
const IN_FLIGHT = 6;
/** The leader is killed once this many dispenses have been answered. */
const KILL_AFTER = 12;
/** Liveness: the gateway's write deadline is 20 s; every answer must come well before this. */
const ANSWER_BOUND_MS = 30_000;

interface Answer {
  serial: string;
  started: number;
  ms: number;
  status: number;
  code?: string;
  txId?: string;
  detail?: string;
}

interface TxStatus {
  txId: string;
  status: 'COMMITTED' | 'INVALID' | 'UNKNOWN';
  blockNumber?: number;
  validationCode?: string;
}

/**
 * One dispense on a connection of its own: a pooled keep-alive socket that the server closes as idle just as
 * the client reuses it would fail the request before the gateway ever saw it ("other side closed").
 */
const dispense = (
  b: Batch,
  serial: string,
): Promise<ApiResponse<{ state?: string; code?: string; txId?: string; detail?: string }>> =>
  api('POST', `/v1/units/${b.gtin}/${serial}/dispense`, { as: 'pharmacy', headers: { connection: 'close' } });

const stats = (ms: number[]): string => {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted.length === 0
    ? 'none'
    : `p50 ${(percentile(sorted, 50) / 1000).toFixed(1)} s, max ${(sorted[sorted.length - 1] / 1000).toFixed(1)} s`;
};

const countBy = <T>(items: T[], key: (item: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>(
    (acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + 1 }),
    {},
  );

describe('writes while the ordering leader is killed', () => {
  let regulator: DirectConnection;
  /** The orderer this suite killed and has not restarted yet. */
  let killed: string | undefined;

  beforeAll(async () => {
    regulator = connectAs(regulatorKey());
    // After a suite that restarted nodes, gossip discovery may not know every peer again yet: a custody change
    // needs the holder's, the receiver's and the regulator's (503 until then). Wait until packs move end to end.
    await until(
      'the network to take custody changes',
      () =>
        batchAtPharmacy(1).then(
          () => true,
          () => undefined,
        ),
      90_000,
    );
  });
  afterAll(async () => {
    regulator.close();
    if (killed) await resumeNetwork();
  });

  /** A pack as the regulator's own peer has it: not the pharmacy's, and not through the gateway. */
  const unitOnRegulatorPeer = async (b: Batch, serial: string) =>
    json<{ state: string; custodian: { msp: string }; inTransit: boolean }>(
      await regulator.contract('units').evaluateTransaction('Get', b.gtin, serial),
    );
  /**
   * Set-up: waits until the regulator's peer has the packs received at the pharmacy. A custody change is
   * endorsed by the holder's and the regulator's peers; the gateway waits for the caller's own peer only, so
   * a dispense right after the receipt could be endorsed on a regulator peer a block behind (409 "in transit").
   */
  const atPharmacyOnRegulatorPeer = (b: Batch, serials: string[]) =>
    until(
      "the packs at the pharmacy on the regulator's peer",
      async () => {
        for (const serial of serials) {
          const unit = await unitOnRegulatorPeer(b, serial);
          if (unit.custodian.msp !== mspOf('pharmacy') || unit.inTransit) return undefined;
        }
        return true;
      },
      30_000,
    );
  const dispensesOnRegulatorPeer = async (b: Batch, serial: string) => {
    const { events } = json<{ events: { type: string }[] }>(
      await regulator.contract('units').evaluateTransaction('History', b.gtin, serial),
    );
    return events.filter((e) => e.type === 'DISPENSED').length;
  };
  /** Waits until the regulator's peer, which may be a block behind the pharmacy's, has the pack dispensed. */
  const dispensedOnRegulatorPeer = (b: Batch, serial: string) =>
    until(
      `${serial} dispensed on the regulator's peer`,
      async () => ((await unitOnRegulatorPeer(b, serial)).state === 'DISPENSED' ? true : undefined),
      30_000,
    );

  it('GET /v1/transactions/{txId} tells committed, invalid and unknown as the ledger has them', async () => {
    const batch = await batchAtPharmacy(1);
    await atPharmacyOnRegulatorPeer(batch, batch.serials);
    const [serial] = batch.serials;
    // Two dispenses of one pack endorsed on the same state, both sent: the ledger keeps one and invalidates
    // the other. Direct through fabric-gateway: the REST gateway would retry the conflict.
    const pharmacy = connectAs('pharmacy');
    try {
      const units = pharmacy.contract('units');
      const endorsed = await Promise.all(
        [1, 2].map(() => units.newProposal('Dispense', { arguments: [batch.gtin, serial] }).endorse()),
      );
      const submitted = await Promise.all(endorsed.map((tx) => tx.submit()));
      const statuses = await Promise.all(submitted.map((tx) => tx.getStatus()));
      const valid = statuses.find((st) => st.code === StatusCode.VALID);
      const invalid = statuses.find((st) => st.code !== StatusCode.VALID);
      expect(valid).toBeDefined();
      expect(invalid).toBeDefined();
      const invalidName = Object.entries(StatusCode).find(([, code]) => code === invalid!.code)?.[0];
      console.log(`the second dispense was invalidated as ${invalidName}`);

      for (const as of ['pharmacy', 'distributor'] as const) {
        const committed = await api<TxStatus>('GET', `/v1/transactions/${valid!.transactionId}`, { as });
        expectStatus(committed, 200);
        expect(committed.body).toEqual({
          txId: valid!.transactionId,
          status: 'COMMITTED',
          blockNumber: Number(valid!.blockNumber),
          validationCode: 'VALID',
        });
      }
      const refused = await api<TxStatus>('GET', `/v1/transactions/${invalid!.transactionId}`, {
        as: 'pharmacy',
      });
      expectStatus(refused, 200);
      expect(refused.body).toEqual({
        txId: invalid!.transactionId,
        status: 'INVALID',
        blockNumber: Number(invalid!.blockNumber),
        validationCode: invalidName,
      });
      const never = randomBytes(32).toString('hex');
      const started = Date.now();
      const unknown = await api<TxStatus>('GET', `/v1/transactions/${never}`, { as: 'pharmacy' });
      expectStatus(unknown, 200);
      expect(unknown.body).toEqual({ txId: never, status: 'UNKNOWN' });
      expect(Date.now() - started).toBeLessThan(5_000);
      // The ledger agrees: dispensed once.
      await dispensedOnRegulatorPeer(batch, serial);
      expect(await dispensesOnRegulatorPeer(batch, serial)).toBe(1);
    } finally {
      pharmacy.close();
    }
  });

  it('repeating a committed ship, receive or dispense is refused (409) and changes nothing', async () => {
    const batch = await commissionBatch(2);
    await moveUnits(batch, batch.serials, 'manufacturer', 'distributor');
    const shipmentId = await shipUnits(batch, batch.serials, 'distributor', 'pharmacy');
    const units = batch.serials.map((serial) => ({ gtin: batch.gtin, serial }));
    const again = await api('POST', '/v1/shipments', {
      as: 'distributor',
      body: { to: mspOf('pharmacy'), toGln: glnOf('pharmacy'), units },
    });
    expectProblem(again, 409, 'CONFLICT');
    expect(again.body.detail).toMatch(/in transit/);
    const outgoing = await api<{ shipments: { id: string; units: { serial: string }[] }[] }>(
      'GET',
      '/v1/shipments?direction=outgoing',
      { as: 'distributor' },
    );
    const carrying = outgoing.body.shipments.filter((s) =>
      s.units.some((u) => u.serial === batch.serials[0]),
    );
    expect(carrying.map((s) => s.id)).toEqual([shipmentId]);

    expectStatus(await api('POST', `/v1/shipments/${shipmentId}/receive`, { as: 'pharmacy' }), 200);
    await atPharmacyOnRegulatorPeer(batch, batch.serials);
    const received = await api('POST', `/v1/shipments/${shipmentId}/receive`, { as: 'pharmacy' });
    expectProblem(received, 409, 'CONFLICT');
    expect(received.body.detail).toMatch(/already RECEIVED/);

    const serial = batch.serials[0];
    expectStatus(await dispense(batch, serial), 200);
    const twice = await dispense(batch, serial);
    expectProblem(twice, 409, 'CONFLICT');
    expect(twice.body.detail).toMatch(/is DISPENSED/);
    await dispensedOnRegulatorPeer(batch, serial);
    expect(await dispensesOnRegulatorPeer(batch, serial)).toBe(1);
    expect((await unitOnRegulatorPeer(batch, batch.serials[1])).state).toBe('ACTIVE');
  });

  it(`answers every one of ${REQUESTS} dispenses in time, loses none, and repeats safely`, async () => {
    const batch = await batchAtPharmacy(REQUESTS + 1);
    await atPharmacyOnRegulatorPeer(batch, batch.serials);
    const [canary, ...serials] = batch.serials;
    const { consensus, orderers } = readNetwork().ordering;

    // The run: IN_FLIGHT workers, each request timed; the leader dies after KILL_AFTER answers.
    const answers: Answer[] = [];
    let killedAt = 0;
    let electedAfterMs: number | undefined;
    let killing: Promise<void> = Promise.resolve();
    const runStarted = Date.now();
    const queue = [...serials];
    const worker = async (): Promise<void> => {
      for (let serial = queue.shift(); serial; serial = queue.shift()) {
        const started = Date.now();
        const res = await dispense(batch, serial);
        answers.push({
          serial,
          started,
          ms: Date.now() - started,
          status: res.status,
          code: res.body?.code,
          txId: res.body?.txId,
          detail: res.body?.detail,
        });
        if (answers.length === KILL_AFTER) killing = killLeader();
      }
    };
    const killLeader = async (): Promise<void> => {
      // Raft says which node leads; BFT too when its metric does, else any orderer will do.
      const leader = (await orderingLeader()) ?? orderers[0].name;
      const pid = pidOf(leader);
      killed = leader;
      killedAt = Date.now();
      await stopNode(leader, 'SIGKILL');
      console.log(`killed ${consensus} leader ${leader} (pid ${pid}) after ${KILL_AFTER} answers`);
      const next = await until(
        'another orderer to lead',
        async () => {
          const now = await orderingLeader();
          return now && now !== leader ? now : undefined;
        },
        60_000,
      ).catch(() => undefined);
      if (next) electedAfterMs = Date.now() - killedAt;
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await killing;
    const runMs = Date.now() - runStarted;
    expect(killed).toBeDefined();

    // (a) Every request was answered, within the bound.
    expect(answers).toHaveLength(serials.length);
    const late = answers.filter((a) => a.ms >= ANSWER_BOUND_MS);
    expect(late).toEqual([]);
    const outcome = (a: Answer) => (a.status === 200 ? '200' : `${a.status} ${a.code ?? ''}`.trim());
    // Nothing else: no 500, no 409 (each pack is dispensed once).
    expect(answers.filter((a) => ![200, 503, 504].includes(a.status))).toEqual([]);
    for (const a of answers.filter((x) => x.code === 'COMMIT_TIMEOUT'))
      expect(a.txId).toMatch(/^[0-9a-f]{64}$/);
    const afterKill = answers.filter((a) => a.started + a.ms >= killedAt);

    // (b) Every acknowledged dispense is on the regulator's peer.
    const acknowledged = answers.filter((a) => a.status === 200);
    for (const a of acknowledged) await dispensedOnRegulatorPeer(batch, a.serial);

    // The network back whole; a fresh write committed and seen by the regulator's peer: any transaction of
    // the run that has not committed by now was lost with the leader and never will.
    await resumeNetwork();
    killed = undefined;
    const resumedAt = Date.now();
    // (409: an attempt answered 503 committed after all; the canary is dispensed either way.)
    await until(
      'a dispense to commit after the resume',
      async () => ([200, 409].includes((await dispense(batch, canary)).status) ? true : undefined),
      60_000,
    );
    await dispensedOnRegulatorPeer(batch, canary);

    // (c) Every 503 naming a txId resolves, and the ledger agrees.
    const unconfirmed = answers.filter((a) => a.txId);
    const resolved = new Map<string, TxStatus>();
    for (const a of unconfirmed) {
      const res = await api<TxStatus>('GET', `/v1/transactions/${a.txId}`, { as: 'pharmacy' });
      expectStatus(res, 200);
      expect(res.body.txId).toBe(a.txId);
      resolved.set(a.serial, res.body);
      const state = (await unitOnRegulatorPeer(batch, a.serial)).state;
      if (res.body.status === 'COMMITTED') {
        expect(res.body).toMatchObject({ validationCode: 'VALID', blockNumber: expect.any(Number) });
        expect({ serial: a.serial, state }).toEqual({ serial: a.serial, state: 'DISPENSED' });
      } else {
        expect({ serial: a.serial, state }).toEqual({ serial: a.serial, state: 'ACTIVE' });
      }
    }
    // A failure without a txId (unreachable, endorsement timeout) wrote nothing.
    for (const a of answers.filter((x) => x.status !== 200 && !x.txId))
      expect({ serial: a.serial, state: (await unitOnRegulatorPeer(batch, a.serial)).state }).toEqual({
        serial: a.serial,
        state: 'ACTIVE',
      });

    // (d) Repeat every unacknowledged dispense: 409 where it had committed, else it commits now.
    const retries: Record<string, number> = {};
    for (const a of answers.filter((x) => x.status !== 200)) {
      const res = await dispense(batch, a.serial);
      const committedBefore = resolved.get(a.serial)?.status === 'COMMITTED';
      expect({ serial: a.serial, status: res.status }).toEqual({
        serial: a.serial,
        status: committedBefore ? 409 : 200,
      });
      retries[String(res.status)] = (retries[String(res.status)] ?? 0) + 1;
    }
    for (const serial of batch.serials) {
      await dispensedOnRegulatorPeer(batch, serial);
      expect({ serial, dispenses: await dispensesOnRegulatorPeer(batch, serial) }).toEqual({
        serial,
        dispenses: 1,
      });
    }

    const figures = {
      consensus,
      requests: answers.length,
      inFlight: IN_FLIGHT,
      runS: Math.round(runMs / 100) / 10,
      newLeaderAfterS: electedAfterMs === undefined ? 'not reported' : Math.round(electedAfterMs / 100) / 10,
      outcomes: countBy(answers, outcome),
      answerTimesAll: stats(answers.map((a) => a.ms)),
      answeredAfterKill: afterKill.length,
      answerTimesAfterKill: stats(afterKill.map((a) => a.ms)),
      unconfirmedResolvedAs: countBy([...resolved.values()], (s) => s.status),
      retries,
      resumeS: Math.round((Date.now() - resumedAt) / 100) / 10,
    };
    console.log(`write faults: ${JSON.stringify(figures, null, 2)}`);
  }, 300_000);
});
