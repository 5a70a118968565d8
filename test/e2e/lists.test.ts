/**
 * The list pages from the read model's derived tables, against the real network: `GET /v1/shipments` and
 * `GET /v1/audit/alerts` paged with `?limit=&cursor=` give, page after page, exactly what the chaincode's own
 * `shipments:List` and `audit:Alerts` answer on a peer; each page names its block; a bad cursor or limit is a
 * 400 problem; `npm run index:verify` finds the derived rows equal to a walk of the replica.
 */
import { connectAs, json, regulatorKey } from '../support/fabric';
import { api, ApiResponse, Role } from '../support/http';
import { newSerial } from '../support/ids';
import { indexVerify } from '../support/index-cli';
import {
  commissionBatch,
  elementString,
  expectProblem,
  expectStatus,
  mspOf,
  shipUnits,
} from './supply-chain';

interface Shipment {
  id: string;
  status: string;
  createdAt: string;
  from: { msp: string };
  to: { msp: string };
}
interface ShipmentPage {
  shipments: Shipment[];
  next?: string;
  counts: { incoming: Record<string, number>; outgoing: Record<string, number> };
}
interface Alert {
  id: string;
  txId: string;
  org: string;
  serial: string;
}
interface AlertPage {
  alerts: Alert[];
  next?: string;
}

/** What shipments:List and audit:Alerts keep at most. */
const CHAINCODE_LIST_MAX = { shipments: 200, alerts: 1000 };

const blockOf = (res: ApiResponse<unknown>): number => Number(res.headers.get('x-ledger-block'));

/** Every page of a list from its first path, each checked: 200, at most `limit` items, a block at least `minBlock`. */
async function allPages<P extends { next?: string }, T>(
  as: Role,
  path: string,
  limit: number,
  minBlock: number,
  items: (page: P) => T[],
): Promise<{ items: T[]; pages: P[] }> {
  const out: T[] = [];
  const pages: P[] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api<P>(
      'GET',
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { as, headers: { 'x-min-block': String(minBlock) } },
    );
    expectStatus(res, 200);
    expect(blockOf(res)).toBeGreaterThanOrEqual(minBlock);
    expect(items(res.body).length).toBeLessThanOrEqual(limit);
    // Only the last page is short, and it has no next.
    if (res.body.next) expect(items(res.body)).toHaveLength(limit);
    out.push(...items(res.body));
    pages.push(res.body);
    cursor = res.body.next;
  } while (cursor);
  return { items: out, pages };
}

/** The chaincode's answer on the organisation's own peer, asked again until the peer has the writes (bounded). */
async function chaincodeSays<T>(
  orgKey: string,
  contract: string,
  tx: string,
  args: string[],
  until: (answer: T) => boolean,
): Promise<T> {
  const connection = connectAs(orgKey);
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = json<T>(await connection.contract(contract).evaluateTransaction(tx, ...args));
      if (until(answer) || Date.now() > deadline) return answer;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    connection.close();
  }
}

const countsOf = (shipments: Shipment[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const s of shipments) counts[s.status] = (counts[s.status] ?? 0) + 1;
  return counts;
};

describe('list pages from the read model', () => {
  /** The block of the last write, which every list read below must reflect. */
  let lastWrite = 0;
  const shipped: string[] = [];

  beforeAll(async () => {
    const b = await commissionBatch(5);
    for (const serial of b.serials) shipped.push(await shipUnits(b, [serial], 'manufacturer', 'distributor'));
    const settle = async (as: Role, id: string, action: string) => {
      const res = await api('POST', `/v1/shipments/${id}/${action}`, { as });
      expectStatus(res, 200);
      lastWrite = Math.max(lastWrite, blockOf(res));
    };
    await settle('distributor', shipped[0], 'receive');
    await settle('distributor', shipped[1], 'receive');
    await settle('manufacturer', shipped[2], 'cancel');
    // Unknown serials scanned: an alert each, from two organisations.
    for (const as of ['pharmacy', 'distributor', 'pharmacy'] as Role[]) {
      const scan = await api('POST', '/v1/verify', { as, body: { code: elementString(b, newSerial()) } });
      expect(scan.body).toMatchObject({ verdict: 'COUNTERFEIT' });
      lastWrite = Math.max(lastWrite, blockOf(scan));
    }
  });

  it.each([
    ['distributor', '', ''],
    ['distributor', 'incoming', 'IN_TRANSIT'],
    ['manufacturer', 'outgoing', ''],
    ['manufacturer', 'outgoing', 'CANCELLED'],
  ] as [Role, string, string][])(
    'pages %s’s shipments (direction %p, status %p) to exactly what shipments:List answers on its peer',
    async (as, direction, status) => {
      const query = new URLSearchParams({ ...(direction && { direction }), ...(status && { status }) });
      const { items, pages } = await allPages<ShipmentPage, Shipment>(
        as,
        `/v1/shipments?${query}`,
        2,
        lastWrite,
        (p) => p.shipments,
      );
      expect(new Set(items.map((s) => s.id)).size).toBe(items.length);
      expect(pages).toHaveLength(Math.max(1, Math.ceil(items.length / 2)));
      const ours = items.filter((s) => shipped.includes(s.id));
      expect(ours.length).toBeGreaterThan(0);

      const newest = items.slice(0, CHAINCODE_LIST_MAX.shipments);
      const chaincode = await chaincodeSays<Shipment[]>(
        as,
        'shipments',
        'List',
        [direction, status],
        (answer) => ours.every((s) => answer.some((c) => c.id === s.id && c.status === s.status)),
      );
      expect(newest).toEqual(chaincode);

      // The counts are the organisation's, whatever the filter: every page carries the same.
      const whole = await allPages<ShipmentPage, Shipment>(
        as,
        '/v1/shipments',
        50,
        lastWrite,
        (p) => p.shipments,
      );
      const me = mspOf(as);
      for (const page of pages)
        expect(page.counts).toEqual({
          incoming: countsOf(whole.items.filter((s) => s.to.msp === me)),
          outgoing: countsOf(whole.items.filter((s) => s.from.msp === me)),
        });
    },
  );

  it('the statuses written are the ones listed: received, cancelled, still in transit', async () => {
    const { items } = await allPages<ShipmentPage, Shipment>(
      'distributor',
      '/v1/shipments?direction=incoming',
      3,
      lastWrite,
      (p) => p.shipments,
    );
    const status = (id: string) => items.find((s) => s.id === id)?.status;
    expect(shipped.map(status)).toEqual(['RECEIVED', 'RECEIVED', 'CANCELLED', 'IN_TRANSIT', 'IN_TRANSIT']);
  });

  it('pages the regulator’s alerts, of everyone and of one organisation, to exactly what audit:Alerts answers', async () => {
    const { items } = await allPages<AlertPage, Alert>(
      'regulator',
      '/v1/audit/alerts',
      2,
      lastWrite,
      (p) => p.alerts,
    );
    // No alert twice across pages (a receipt's discrepancy alerts share its txId, each has its own id).
    expect(new Set(items.map((a) => a.id)).size).toBe(items.length);
    const newest = items.slice(0, CHAINCODE_LIST_MAX.alerts);
    const chaincode = await chaincodeSays<{ alerts: Alert[] }>(
      regulatorKey(),
      'audit',
      'Alerts',
      [String(CHAINCODE_LIST_MAX.alerts)],
      (answer) => answer.alerts.length >= newest.length,
    );
    expect(newest).toEqual(chaincode.alerts);

    const pharmacy = mspOf('pharmacy');
    const only = await allPages<AlertPage, Alert>(
      'regulator',
      `/v1/audit/alerts?org=${pharmacy}`,
      1,
      lastWrite,
      (p) => p.alerts,
    );
    expect(only.items.length).toBeGreaterThanOrEqual(2);
    expect(only.items).toEqual(items.filter((a) => a.org === pharmacy));
  });

  it('refuses a bad limit or cursor with a 400 problem naming the field, and lists nothing', async () => {
    const first = await api<ShipmentPage>('GET', '/v1/shipments?limit=1', { as: 'distributor' });
    expectStatus(first, 200);
    expect(first.body.next).toEqual(expect.any(String));
    const alertsCursor = (await api<AlertPage>('GET', '/v1/audit/alerts?limit=1', { as: 'regulator' })).body
      .next;
    const refused: [Role, string, string][] = [
      ['distributor', '/v1/shipments?limit=0', 'limit'],
      ['distributor', '/v1/shipments?limit=201', 'limit'],
      ['distributor', '/v1/shipments?limit=two', 'limit'],
      ['distributor', '/v1/shipments?cursor=not-a-cursor', 'cursor'],
      ['distributor', `/v1/shipments?cursor=${alertsCursor}`, 'cursor'],
      ['distributor', `/v1/shipments?cursor=${'A'.repeat(600)}`, 'cursor'],
      ['regulator', '/v1/audit/alerts?limit=1001', 'limit'],
      ['regulator', `/v1/audit/alerts?cursor=${first.body.next}`, 'cursor'],
      ['regulator', '/v1/audit/alerts?cursor=e30', 'cursor'],
    ];
    for (const [as, path, field] of refused) {
      const res = await api<{ errors: { field: string }[]; shipments?: unknown; alerts?: unknown }>(
        'GET',
        path,
        {
          as,
        },
      );
      expectProblem(res, 400, 'INVALID');
      expect(res.body.errors[0].field).toBe(field);
      expect(res.body.shipments ?? res.body.alerts).toBeUndefined();
    }
  });

  it('npm run index:verify finds the list tables equal to a walk of the replica', () => {
    const out = indexVerify();
    const line =
      /index:verify: list tables at block \d+: (\d+) shipment rows, (\d+) alert rows .*, (\d+) drifted/.exec(
        out,
      );
    expect(line).not.toBeNull();
    const [, shipmentRows, alertRows, drifted] = line!.map(Number);
    expect(shipmentRows).toBeGreaterThanOrEqual(2 * shipped.length);
    expect(alertRows).toBeGreaterThanOrEqual(3);
    expect(drifted).toBe(0);
  });
});
