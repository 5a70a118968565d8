/** Set-up through the real REST API: a product, a batch, and packs moved to where a test needs them. */
import { api, ApiResponse, Role } from '../support/http';
import { newGtin, newLot, newSerial } from '../support/ids';
import { readNetwork } from '../support/paths';

export const glnOf = (org: string): string => readNetwork().orgs[org].glns[0];
const ROLES: Role[] = ['manufacturer', 'distributor', 'pharmacy', 'regulator'];
export const mspOf = (org: string): string => readNetwork().orgs[org].mspId;

export interface Batch {
  gtin: string;
  lot: string;
  expiry: string; // YYYY-MM-DD
  serials: string[];
}

/** The pack's expiry as AI (17) prints it: YYMMDD. */
export const yymmdd = (expiry: string): string => expiry.slice(2).replace(/-/g, '');

/** The GS1 element string printed on a pack, in the batch's own lot and expiry unless overridden. */
export function elementString(
  b: Batch,
  serial: string,
  over: { lot?: string; expiry?: string } = {},
): string {
  return `(01)${b.gtin}(17)${yymmdd(over.expiry ?? b.expiry)}(10)${over.lot ?? b.lot}(21)${serial}`;
}

/** Expects an RFC 9457 problem with the given status and stable code. */
export function expectProblem(
  res: { status: number; headers: Headers; body: unknown },
  status: number,
  code: string,
): void {
  expectStatus(res, status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
}

/** Expects a status, showing the whole response when it differs (a bare status mismatch explains nothing). */
export function expectStatus(res: { status: number; body: unknown }, status: number): void {
  expect({ status: res.status, body: res.body }).toEqual(expect.objectContaining({ status }));
}

/** A valid POST /v1/products body. */
export const productBody = (gtin: string): Record<string, string> => ({
  gtin,
  name: 'Amoxicillin 500 mg capsules',
  genericName: 'amoxicillin',
  strength: '500 mg',
  dosageForm: 'capsule',
  marketingAuthorization: 'H20190001',
});

/** Registers a product and waits until every organisation's peer has it (any two endorse what follows). */
export async function registerProduct(gtin = newGtin()): Promise<string> {
  const res = await api('POST', '/v1/products', { as: 'manufacturer', body: productBody(gtin) });
  expectStatus(res, 201);
  for (const as of ROLES) await seenBy(as, `/v1/products/${gtin}`, (r) => r.status === 200);
  return gtin;
}

/** A new product and a batch of it; lot and serials fresh unless given. */
export async function commissionBatch(
  count = 3,
  expiry = '2028-06-30',
  given: { lot?: string; serials?: string[] } = {},
): Promise<Batch> {
  const gtin = await registerProduct();
  const lot = given.lot ?? newLot();
  const serials = given.serials ?? Array.from({ length: count }, newSerial);
  const res = await api('POST', '/v1/batches', {
    as: 'manufacturer',
    body: { gtin, lot, expiry, manufacturedOn: '2026-11-01', serials },
  });
  expectStatus(res, 201);
  return { gtin, lot, expiry, serials };
}

/**
 * Waits until `as` reads `path` and the answer satisfies `ready`. A submit through the gateway waits for the
 * commit on the caller's own peer only; another organisation's peer may still be a block behind, so set-up
 * that hands over to another organisation waits here until that organisation's peer has the change.
 */
export async function seenBy(
  as: Role,
  path: string,
  ready: (res: ApiResponse) => boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api('GET', path, { as });
    if (ready(res)) return;
    if (Date.now() > deadline)
      throw new Error(`${as} never saw the change at ${path}: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Ships packs from one organisation to another; they stay IN_TRANSIT. Returns the shipment ID. */
export async function shipUnits(b: Batch, serials: string[], from: Role, to: Role): Promise<string> {
  const ship = await api<{ id: string }>('POST', '/v1/shipments', {
    as: from,
    body: { to: mspOf(to), toGln: glnOf(to), units: serials.map((serial) => ({ gtin: b.gtin, serial })) },
  });
  expectStatus(ship, 201);
  await seenBy(to, `/v1/shipments/${ship.body.id}`, (res) => res.status === 200);
  return ship.body.id;
}

/** Ships packs from one organisation to another and has the receiver receive them. */
export async function moveUnits(b: Batch, serials: string[], from: Role, to: Role): Promise<void> {
  const id = await shipUnits(b, serials, from, to);
  const receive = await api('POST', `/v1/shipments/${id}/receive`, { as: to });
  expectStatus(receive, 200);
  await seenBy(from, `/v1/shipments/${id}`, (res) => res.body?.status === 'RECEIVED');
}

/** A batch whose packs are all at the pharmacy, moved manufacturer → distributor → pharmacy. */
export async function batchAtPharmacy(count = 3): Promise<Batch> {
  const b = await commissionBatch(count);
  await moveUnits(b, b.serials, 'manufacturer', 'distributor');
  await moveUnits(b, b.serials, 'distributor', 'pharmacy');
  return b;
}
