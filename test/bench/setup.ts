// The set-up the benches share, through REST: a product, a commissioned lot, its packs' codes.

import { api } from '../support/http';
import { newGtin, newLot } from '../support/ids';

/** Expiry and manufacturing date of every bench lot. */
export const EXPIRY = '2028-06-30';
export const MANUFACTURED_ON = '2026-01-15';

export interface Batch {
  gtin: string;
  lot: string;
  serials: string[];
}

/** The answer's body when it has `status`; else an error naming the step, the status and the body. */
export async function expectOk<T>(
  what: string,
  res: Promise<{ status: number; body: T }>,
  status: number,
): Promise<T> {
  const r = await res;
  if (r.status !== status)
    throw new Error(
      `${what}: HTTP ${r.status} (expected ${status}): ${JSON.stringify(r.body).slice(0, 300)}`,
    );
  return r.body;
}

/** A new product registered by the manufacturer; its GTIN. */
export async function registerProduct(name = 'Bench paracetamol 500 mg tablets'): Promise<string> {
  const gtin = newGtin();
  const body = {
    gtin,
    name,
    genericName: 'paracetamol',
    strength: '500 mg',
    dosageForm: 'tablet',
    marketingAuthorization: 'BENCH0001',
  };
  await expectOk('register product', api('POST', '/v1/products', { as: 'manufacturer', body }), 201);
  return gtin;
}

/** A new lot of a new product holding `serials`, commissioned by the manufacturer. */
export async function commissionedBatch(serials: string[]): Promise<Batch> {
  const batch = { gtin: await registerProduct(), lot: newLot(), serials };
  await expectOk(
    'commission',
    api('POST', '/v1/batches', {
      as: 'manufacturer',
      body: { ...batch, expiry: EXPIRY, manufacturedOn: MANUFACTURED_ON },
    }),
    201,
  );
  return batch;
}

/** A pack's code as a scanner reads it: the GS1 element string. */
export const elementString = (b: Batch, serial: string): string =>
  `(01)${b.gtin}(17)${EXPIRY.slice(2).replace(/-/g, '')}(10)${b.lot}(21)${serial}`;
