// The REST set-up the write benches share (write-bench.ts, goods-bench.ts): API keys, one keep-alive agent,
// commissioning packs of a fresh product, and moving packs between organisations as shipments received.

import * as http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { readApiKeys, readNetwork } from '../support/paths';
import { newGtin, newLot } from '../support/ids';
import { EXPIRY, MANUFACTURED_ON } from './setup';
import { RestAnswer, restCall } from './rest-client';

export interface Pack {
  gtin: string;
  serial: string;
}

/** Set-up commissionings and shipments are split so that none nears the write deadline on a loaded machine. */
const MOVE_CHUNK = 250;
const COMMISSION_CHUNK = 500;

const keys = readApiKeys();
export const net = readNetwork();
export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
export const call = <T>(
  as: string,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<RestAnswer<T>> => restCall<T>(agent, method, path, keys[as], body, headers);

export async function ok<T>(
  what: string,
  answer: Promise<{ status: number; body: T }>,
  status: number,
): Promise<T> {
  const a = await answer;
  if (a.status !== status) throw new Error(`${what}: HTTP ${a.status}: ${JSON.stringify(a.body)}`);
  return a.body;
}

/**
 * A set-up write that must take effect: on a 503 COMMIT_TIMEOUT (a loaded machine) its transaction is looked up
 * until it is known committed; anything else is an error.
 */
export async function committed(
  what: string,
  as: string,
  answer: Promise<{ status: number; body: unknown }>,
  status: number,
): Promise<unknown> {
  const a = await answer;
  const txId =
    (a.body as { code?: string; txId?: string }).code === 'COMMIT_TIMEOUT'
      ? (a.body as { txId: string }).txId
      : '';
  if (a.status === status || !txId) return ok(what, Promise.resolve(a), status);
  for (let i = 0; i < 60; i++) {
    const t = await call<{ status: string }>(as, 'GET', `/v1/transactions/${txId}`);
    if (t.body.status === 'COMMITTED') return undefined;
    if (t.body.status === 'INVALID') break;
    await sleep(1000);
  }
  throw new Error(`${what}: transaction ${txId} did not commit`);
}

/** The receiving side of a shipment body: an organisation's MSP and its user1's GLN. */
export const to = (org: string): { to: string; toGln: string } => ({
  to: net.orgs[org].mspId,
  toGln: net.orgs[org].users.user1.gln,
});

/** Ship packs as shipments of MOVE_CHUNK and receive each. */
export async function move(packs: Pack[], from: string, toOrg: string): Promise<void> {
  for (let i = 0; i < packs.length; i += MOVE_CHUNK) {
    const { id } = await ok<{ id: string }>(
      `ship ${packs.length} ${from} → ${toOrg}`,
      call(from, 'POST', '/v1/shipments', { ...to(toOrg), units: packs.slice(i, i + MOVE_CHUNK) }),
      201,
    );
    await committed(`receive at ${toOrg}`, toOrg, call(toOrg, 'POST', `/v1/shipments/${id}/receive`), 200);
  }
}

/** The lot of every commissioned pack, by serial (verification codes carry it). */
export const lotOf = new Map<string, string>();

/**
 * Commissions `count` packs of one new product (lots of COMMISSION_CHUNK) and, unless `holder` is the
 * manufacturer, moves them to `holder`.
 */
export async function setUp(count: number, holder = 'distributor'): Promise<{ gtin: string; packs: Pack[] }> {
  const gtin = newGtin();
  await ok(
    'register product',
    call('manufacturer', 'POST', '/v1/products', {
      gtin,
      name: 'Bench ibuprofen 400 mg tablets',
      genericName: 'ibuprofen',
      strength: '400 mg',
      dosageForm: 'tablet',
      marketingAuthorization: 'BENCH0002',
    }),
    201,
  );
  const packs: Pack[] = [];
  for (let left = count; left > 0; left -= COMMISSION_CHUNK) {
    const quantity = Math.min(left, COMMISSION_CHUNK);
    const lotCode = newLot();
    const body = { gtin, lot: lotCode, expiry: EXPIRY, manufacturedOn: MANUFACTURED_ON, quantity };
    // A 504 TIMEOUT wrote nothing (not sent for ordering): safe to ask again on a loaded machine.
    let answer = await call<{ serials: string[] }>('manufacturer', 'POST', '/v1/batches', body);
    for (let retry = 0; answer.status === 504 && retry < 3; retry++)
      answer = await call<{ serials: string[] }>('manufacturer', 'POST', '/v1/batches', body);
    const { serials } = await ok('commission', Promise.resolve(answer), 201);
    for (const serial of serials) lotOf.set(serial, lotCode);
    const lot = serials.map((serial) => ({ gtin, serial }));
    if (holder !== 'manufacturer') await move(lot, 'manufacturer', holder);
    packs.push(...lot);
  }
  return { gtin, packs };
}
