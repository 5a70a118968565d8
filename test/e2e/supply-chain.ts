/** Set-up through the real REST API: a product, a batch, and packs moved to where a test needs them. */
import { api, Role } from '../support/http';
import { newGtin, newLot, newSerial } from '../support/ids';
import { readNetwork } from '../support/paths';

export const glnOf = (org: string): string => readNetwork().orgs[org].glns[0];
export const mspOf = (org: string): string => readNetwork().orgs[org].mspId;

export interface Batch {
  gtin: string;
  lot: string;
  expiry: string; // YYYY-MM-DD
  serials: string[];
}

/** The GS1 element string printed on a pack, in the batch's own lot and expiry unless overridden. */
export function elementString(
  b: Batch,
  serial: string,
  over: { lot?: string; expiry?: string } = {},
): string {
  const yymmdd = (over.expiry ?? b.expiry).slice(2).replace(/-/g, '');
  return `(01)${b.gtin}(17)${yymmdd}(10)${over.lot ?? b.lot}(21)${serial}`;
}

/** Expects a status, showing the whole response when it differs (a bare status mismatch explains nothing). */
export function expectStatus(res: { status: number; body: unknown }, status: number): void {
  expect({ status: res.status, body: res.body }).toEqual(expect.objectContaining({ status }));
}

export async function registerProduct(gtin = newGtin()): Promise<string> {
  const res = await api('POST', '/v1/products', {
    as: 'manufacturer',
    body: {
      gtin,
      name: 'Amoxicillin 500 mg capsules',
      genericName: 'amoxicillin',
      strength: '500 mg',
      dosageForm: 'capsule',
      marketingAuthorization: 'H20190001',
    },
  });
  expectStatus(res, 201);
  return gtin;
}

export async function commissionBatch(count = 3, expiry = '2028-06-30'): Promise<Batch> {
  const gtin = await registerProduct();
  const lot = newLot();
  const serials = Array.from({ length: count }, newSerial);
  const res = await api('POST', '/v1/batches', {
    as: 'manufacturer',
    body: { gtin, lot, expiry, manufacturedOn: '2026-11-01', serials },
  });
  expectStatus(res, 201);
  return { gtin, lot, expiry, serials };
}

/** Ships packs from one organisation to another and has the receiver receive them. */
export async function moveUnits(b: Batch, serials: string[], from: Role, to: Role): Promise<void> {
  const ship = await api<{ id: string }>('POST', '/v1/shipments', {
    as: from,
    body: { to: mspOf(to), toGln: glnOf(to), units: serials.map((serial) => ({ gtin: b.gtin, serial })) },
  });
  expectStatus(ship, 201);
  const receive = await api('POST', `/v1/shipments/${ship.body.id}/receive`, { as: to });
  expectStatus(receive, 200);
}

/** A batch whose packs are all at the pharmacy, moved manufacturer → distributor → pharmacy. */
export async function batchAtPharmacy(count = 3): Promise<Batch> {
  const b = await commissionBatch(count);
  await moveUnits(b, b.serials, 'manufacturer', 'distributor');
  await moveUnits(b, b.serials, 'distributor', 'pharmacy');
  return b;
}
