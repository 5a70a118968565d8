/**
 * Recall notices and the read model's lists on the real network: a recall or quarantine reaches every
 * organisation holding packs of the batch as a RECALL_NOTICE on GET /v1/events with its own count (custody by
 * the contract's rule: packs in a case in transit are the sender's), and the link it carries,
 * GET /v1/batches/{gtin}/{lot}/my-packs, lists exactly those packs a page at a time; a release notifies nobody.
 * Also the regulator's daily figures (GET /v1/audit/stats) and the manufacturer's list of batches
 * (GET /v1/batches), each compared with what the test did, and every refused request.
 */
import { EventStream, SseEvent } from '../support/event-stream';
import { api, Role } from '../support/http';
import { newSerial, newSscc } from '../support/ids';
import { expectAuthRequired, expectForbiddenFor } from './probes';
import {
  Batch,
  commissionBatch,
  elementString,
  expectProblem,
  expectStatus,
  glnOf,
  moveUnits,
  mspOf,
  seenBy,
} from './supply-chain';

interface MyPacks {
  gtin: string;
  lot: string;
  status: string;
  msp: string;
  packs: {
    serial: string;
    state: string;
    gln: string;
    inTransit: boolean;
    sscc?: string;
    shipmentId?: string;
  }[];
  next?: string;
  asOfBlock: number;
}

const noticeOf =
  (b: Batch, status?: string) =>
  (e: SseEvent): boolean =>
    e.event === 'RECALL_NOTICE' &&
    e.data.gtin === b.gtin &&
    e.data.lot === b.lot &&
    (status === undefined || e.data.status === status);

/** Every page of my-packs from `path` (limit `limit`), with the number of pages it took. */
async function allPages(
  as: Role,
  path: string,
  limit: number,
): Promise<{ serials: string[]; pages: number }> {
  const serials: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api<MyPacks>(
      'GET',
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { as },
    );
    expectStatus(res, 200);
    expect(res.body.packs.length).toBeLessThanOrEqual(limit);
    serials.push(...res.body.packs.map((p) => p.serial));
    cursor = res.body.next;
    pages++;
  } while (cursor && pages < 50);
  return { serials, pages };
}

describe('RECALL_NOTICE on GET /v1/events and GET /v1/batches/{gtin}/{lot}/my-packs', () => {
  const streams: EventStream[] = [];
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  const open = async (as: Role, query = '?types=RECALL_NOTICE'): Promise<EventStream> => {
    const s = await new EventStream().open(query, as);
    streams.push(s);
    expect(s.status).toBe(200);
    return s;
  };

  it('a recall tells each holder its own count, and its link lists exactly those packs, page by page', async () => {
    const b = await commissionBatch(9);
    const s = b.serials;
    // The distributor receives 6 and passes 3 on to the pharmacy, which dispenses one; the manufacturer keeps
    // 3, and packs 2 of those in a case it ships to the distributor (in transit: still the manufacturer's).
    await moveUnits(b, s.slice(0, 6), 'manufacturer', 'distributor');
    await moveUnits(b, s.slice(0, 3), 'distributor', 'pharmacy');
    expectStatus(await api('POST', `/v1/units/${b.gtin}/${s[0]}/dispense`, { as: 'pharmacy' }), 200);
    const sscc = newSscc();
    const pack = await api('POST', '/v1/containers', {
      as: 'manufacturer',
      body: { sscc, contents: s.slice(6, 8).map((serial) => ({ gtin: b.gtin, serial })) },
    });
    expectStatus(pack, 201);
    const shipCase = await api<{ id: string }>('POST', '/v1/shipments', {
      as: 'manufacturer',
      body: { to: mspOf('distributor'), toGln: glnOf('distributor'), containers: [sscc] },
    });
    expectStatus(shipCase, 201);
    await seenBy('regulator', `/v1/units/${b.gtin}/${s[0]}`, (r) => r.body?.state === 'DISPENSED');

    const expected: Record<string, string[]> = {
      manufacturer: s.slice(6, 9),
      distributor: s.slice(3, 6),
      pharmacy: s.slice(1, 3),
    };
    const heard = {
      manufacturer: await open('manufacturer'),
      distributor: await open('distributor'),
      pharmacy: await open('pharmacy'),
      regulator: await open('regulator'),
    };
    const recall = await api('POST', `/v1/batches/${b.gtin}/${b.lot}/recall`, {
      as: 'regulator',
      body: { reason: 'falsified packs found in the market' },
    });
    expectStatus(recall, 200);

    for (const org of ['manufacturer', 'distributor', 'pharmacy'] as const) {
      const notice = await heard[org].until(noticeOf(b));
      expect(notice.data).toMatchObject({
        type: 'RECALL_NOTICE',
        org: mspOf(org),
        gtin: b.gtin,
        lot: b.lot,
        status: 'RECALLED',
        reason: 'falsified packs found in the market',
        by: mspOf('regulator'),
        count: expected[org].length,
        myPacks: `/v1/batches/${b.gtin}/${b.lot}/my-packs?state=ACTIVE`,
        txId: expect.stringMatching(/^[0-9a-f]{64}$/),
        blockNumber: expect.any(Number),
      });
      // The link lists the same packs the count names, one page at a time (limit 2; a full last page is last).
      const { serials, pages } = await allPages(org, String(notice.data.myPacks), 2);
      expect(serials.sort()).toEqual([...expected[org]].sort());
      expect(pages).toBe(Math.ceil(expected[org].length / 2));
    }
    // The regulator hears every holder's notice (and holds none itself); each holder only its own.
    for (const org of ['manufacturer', 'distributor', 'pharmacy'] as const)
      await heard.regulator.until((e) => noticeOf(b)(e) && e.data.org === mspOf(org));
    for (const org of ['manufacturer', 'distributor', 'pharmacy'] as const)
      expect(heard[org].seen.filter(noticeOf(b)).map((e) => e.data.org)).toEqual([mspOf(org)]);
    expect(heard.regulator.seen.filter(noticeOf(b))).toHaveLength(3);

    // The case in transit: its packs are the manufacturer's, in the case, on their way.
    const atMaker = await api<MyPacks>('GET', `/v1/batches/${b.gtin}/${b.lot}/my-packs`, {
      as: 'manufacturer',
    });
    expectStatus(atMaker, 200);
    expect(atMaker.body).toMatchObject({ status: 'RECALLED', msp: mspOf('manufacturer'), gtin: b.gtin });
    const inCase = atMaker.body.packs.filter((p) => p.sscc === sscc);
    expect(inCase.map((p) => p.serial).sort()).toEqual(s.slice(6, 8).sort());
    expect(inCase.every((p) => p.inTransit && p.shipmentId === shipCase.body.id)).toBe(true);
    // Without a state the pharmacy also sees the pack it dispensed.
    const atPharmacy = await api<MyPacks>('GET', `/v1/batches/${b.gtin}/${b.lot}/my-packs`, {
      as: 'pharmacy',
    });
    expect(atPharmacy.body.packs.map((p) => [p.serial, p.state]).sort()).toEqual(
      [
        [s[0], 'DISPENSED'],
        [s[1], 'ACTIVE'],
        [s[2], 'ACTIVE'],
      ].sort(),
    );
    // The regulator holds none of them.
    const atRegulator = await api<MyPacks>('GET', `/v1/batches/${b.gtin}/${b.lot}/my-packs`, {
      as: 'regulator',
    });
    expect(atRegulator.body.packs).toEqual([]);
    expect(atRegulator.body.next).toBeUndefined();
  });

  it('a quarantine notifies the holders too; a release notifies nobody', async () => {
    const b = await commissionBatch(2);
    await moveUnits(b, b.serials.slice(0, 1), 'manufacturer', 'distributor');
    const regulator = await open('regulator', '?types=RECALL_NOTICE,RELEASED,RECALLED');
    const quarantine = await api('POST', `/v1/batches/${b.gtin}/${b.lot}/quarantine`, {
      as: 'manufacturer',
      body: { reason: 'dissolution under review' },
    });
    expectStatus(quarantine, 200);
    const held = await regulator.until(
      (e) => noticeOf(b, 'QUARANTINED')(e) && e.data.org === mspOf('distributor'),
    );
    expect(held.data.count).toBe(1);
    await regulator.until((e) => noticeOf(b, 'QUARANTINED')(e) && e.data.org === mspOf('manufacturer'));

    for (const action of ['release', 'recall']) {
      const res = await api('POST', `/v1/batches/${b.gtin}/${b.lot}/${action}`, {
        as: 'manufacturer',
        body: { reason: `${action} after review` },
      });
      expectStatus(res, 200);
    }
    // Notices follow their change in the stream: between RELEASED and the recall's notices there are none.
    for (const org of ['distributor', 'manufacturer'])
      await regulator.until((e) => noticeOf(b, 'RECALLED')(e) && e.data.org === mspOf(org));
    const forBatch = regulator.seen.filter((e) => e.data.gtin === b.gtin && e.data.lot === b.lot);
    const released = forBatch.findIndex((e) => e.event === 'RELEASED');
    const recalled = forBatch.findIndex((e) => e.event === 'RECALLED');
    expect(released).toBeGreaterThan(-1);
    expect(recalled).toBe(released + 1);
    expect(forBatch.filter(noticeOf(b)).map((e) => e.data.status)).toEqual([
      'QUARANTINED',
      'QUARANTINED',
      'RECALLED',
      'RECALLED',
    ]);
  });

  it('my-packs refuses a bad limit, cursor, state or GTIN (400), an unknown batch (404), no key (401)', async () => {
    const b = await commissionBatch(1);
    const path = `/v1/batches/${b.gtin}/${b.lot}/my-packs`;
    await expectAuthRequired('GET', path);
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=abc',
      'limit=2.5',
      'state=BOGUS',
      'cursor=not%20base64!',
      `cursor=${Buffer.from('["a","b"]').toString('base64url')}`,
      `cursor=${Buffer.from('{"serial":"x"}').toString('base64url')}`,
      `cursor=${'A'.repeat(513)}`,
    ])
      expectProblem(await api('GET', `${path}?${query}`, { as: 'manufacturer' }), 400, 'INVALID');
    expectProblem(
      await api('GET', `/v1/batches/123/${b.lot}/my-packs`, { as: 'manufacturer' }),
      400,
      'INVALID',
    );
    expectProblem(
      await api('GET', `/v1/batches/${b.gtin}/NOPE/my-packs`, { as: 'manufacturer' }),
      404,
      'NOT_FOUND',
    );
    // A cursor this list gave for another batch pages that batch, not this one.
    const other = await commissionBatch(2);
    const first = await api<MyPacks>('GET', `/v1/batches/${other.gtin}/${other.lot}/my-packs?limit=1`, {
      as: 'manufacturer',
    });
    expect(first.body.next).toEqual(expect.any(String));
    expectProblem(
      await api('GET', `${path}?cursor=${first.body.next}`, { as: 'manufacturer' }),
      400,
      'INVALID',
    );
    const ok = await api<MyPacks>('GET', `${path}?limit=1`, { as: 'manufacturer' });
    expectStatus(ok, 200);
    expect(ok.body.packs.map((p) => p.serial)).toEqual(b.serials);
    expect(ok.body.next).toBeUndefined();
  });

  it('GET /v1/events accepts RECALL_NOTICE as a type and still refuses unknown ones', async () => {
    expectProblem(
      await api('GET', '/v1/events?types=RECALL_NOTICE,BOGUS', { as: 'pharmacy' }),
      400,
      'INVALID',
    );
    await open('pharmacy', '?types=RECALL_NOTICE');
  });
});

describe('GET /v1/audit/stats', () => {
  interface Stats {
    from: string;
    to: string;
    days: { day: string; scans: Record<string, number>; alerts: Record<string, number> }[];
    topLocations: { msp: string; gln: string; name: string; alerts: number }[];
    asOfBlock: number;
  }
  const today = () => new Date().toISOString().slice(0, 10);
  const stats = async (): Promise<Stats> => {
    const res = await api<Stats>('GET', `/v1/audit/stats?days=3&to=${today()}`, { as: 'regulator' });
    expectStatus(res, 200);
    return res.body;
  };
  const todayOf = (s: Stats) => s.days[s.days.length - 1];

  it('counts each recorded scan by verdict and each alert by reason and place, per day', async () => {
    const b = await commissionBatch(2);
    const before = await stats();
    // Two genuine first scans of two packs at the manufacturer (each recorded as a sighting), one counterfeit at
    // the distributor (an alert there).
    for (const serial of b.serials)
      expect(
        (await api('POST', '/v1/verify', { as: 'manufacturer', body: { code: elementString(b, serial) } }))
          .body,
      ).toMatchObject({ verdict: 'GENUINE', txId: expect.any(String) });
    const fake = await api('POST', '/v1/verify', {
      as: 'distributor',
      body: { code: elementString(b, newSerial()) },
    });
    expect(fake.body).toMatchObject({ verdict: 'COUNTERFEIT', reasons: ['UNKNOWN_SERIAL'] });

    const grew = (after: Stats, key: 'scans' | 'alerts', name: string) =>
      (todayOf(after)[key][name] ?? 0) - (todayOf(before)[key][name] ?? 0);
    let after = before;
    for (let i = 0; i < 60; i++) {
      after = await stats();
      if (grew(after, 'scans', 'GENUINE') >= 2 && grew(after, 'scans', 'COUNTERFEIT') >= 1) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // Other suites may scan at the same time: at least what this test did, and the days are the three asked.
    expect(grew(after, 'scans', 'GENUINE')).toBeGreaterThanOrEqual(2);
    expect(grew(after, 'scans', 'COUNTERFEIT')).toBeGreaterThanOrEqual(1);
    expect(grew(after, 'alerts', 'UNKNOWN_SERIAL')).toBeGreaterThanOrEqual(1);
    expect(after.days.map((d) => d.day)).toHaveLength(3);
    expect(after.to).toBe(today());
    expect(after.asOfBlock).toBeGreaterThanOrEqual(before.asOfBlock);
    const place = after.topLocations.find(
      (p) => p.msp === mspOf('distributor') && p.gln === glnOf('distributor'),
    );
    expect(place?.alerts).toBeGreaterThanOrEqual(1);
    expect(place?.name).toEqual(expect.any(String));
  });

  it('401 without a key, 403 for the other roles, 400 for bad days or date', async () => {
    await expectAuthRequired('GET', '/v1/audit/stats');
    await expectForbiddenFor(['manufacturer', 'distributor', 'pharmacy'], 'GET', '/v1/audit/stats');
    for (const query of ['days=0', 'days=93', 'days=abc', 'to=2026-13-01', 'to=yesterday', 'to=2026-02-30'])
      expectProblem(await api('GET', `/v1/audit/stats?${query}`, { as: 'regulator' }), 400, 'INVALID');
  });
});

describe('GET /v1/batches', () => {
  interface BatchList {
    batches: {
      gtin: string;
      lot: string;
      manufacturer: string;
      status: string;
      counts: { byState: Record<string, number> };
    }[];
    next?: string;
    asOfBlock: number;
  }

  it("lists the manufacturer's batches with their counts, page by page, and every batch to the regulator", async () => {
    const b = await commissionBatch(3);
    await moveUnits(b, b.serials.slice(0, 1), 'manufacturer', 'distributor');
    for (const as of ['manufacturer', 'regulator'] as const) {
      let found: BatchList['batches'][number] | undefined;
      let cursor: string | undefined;
      const seen = new Set<string>();
      for (let page = 0; page < 200 && !found; page++) {
        const res = await api<BatchList>(
          'GET',
          `/v1/batches?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { as },
        );
        expectStatus(res, 200);
        for (const x of res.body.batches) {
          // No batch twice across pages, and only the manufacturer's own (all of them are, on this network).
          expect(seen.has(`${x.gtin}/${x.lot}`)).toBe(false);
          seen.add(`${x.gtin}/${x.lot}`);
          expect(x.manufacturer).toBe(mspOf('manufacturer'));
        }
        found = res.body.batches.find((x) => x.gtin === b.gtin && x.lot === b.lot);
        cursor = res.body.next;
        if (!cursor) break;
      }
      expect(found).toMatchObject({ status: 'RELEASED', counts: { byState: { ACTIVE: 3 } } });
    }
    const one = await api<BatchList>('GET', '/v1/batches?limit=1', { as: 'manufacturer' });
    expect(one.body.batches).toHaveLength(1);
    expect(one.body.next).toEqual(expect.any(String));
  });

  it('403 for distributor and pharmacy, 400 for a bad limit or cursor, 401 without a key', async () => {
    await expectAuthRequired('GET', '/v1/batches');
    await expectForbiddenFor(['distributor', 'pharmacy'], 'GET', '/v1/batches');
    for (const query of [
      'limit=0',
      'limit=51',
      'cursor=%21%21',
      `cursor=${Buffer.from('["x"]').toString('base64url')}`,
    ])
      expectProblem(await api('GET', `/v1/batches?${query}`, { as: 'manufacturer' }), 400, 'INVALID');
  });
});
