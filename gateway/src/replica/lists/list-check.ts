import { createCompositeKey, KEY, splitCompositeKey, WorldStateReader } from '@drugtrace/chaincode/replica';
import { Database } from '../../database/database';
import { ReplicaStore } from '../replica-store';
import { alertRowOf, shipmentSortKey } from './list-tables';

/** What comparing the derived tables with a walk of the replica found. */
export interface ListCheck {
  /** The replica height both sides were read at. */
  height: number;
  shipmentRows: number;
  alertRows: number;
  /** One line per row or count that differs. */
  drift: string[];
}

/** Keys read per step of the walk. */
const WALK_STEP = 1000;
/** Walks repeated when the replica moved on during one. */
const ATTEMPTS = 3;

/** Every live key of one type, in key order, at the snapshot's height. */
async function* walk(state: WorldStateReader, type: string) {
  const end = createCompositeKey(type, []) + '\u{10ffff}';
  let start = createCompositeKey(type, []);
  for (;;) {
    const rows = await state.range(start, end, WALK_STEP);
    for (const row of rows) yield { ...splitCompositeKey(row.key), value: Buffer.from(row.value) };
    if (rows.length < WALK_STEP) return;
    start = rows[rows.length - 1].key + '\u0000';
  }
}

/** Rows as `a|b|c` lines, sorted, so two sides compare as sets. */
const lines = (rows: unknown[][]): string[] => rows.map((r) => r.join('|')).sort();

function differences(what: string, derived: string[], walked: string[]): string[] {
  const have = new Set(derived);
  const want = new Set(walked);
  return [
    ...walked.filter((l) => !have.has(l)).map((l) => `${what} missing from the derived table: ${l}`),
    ...derived
      .filter((l) => !want.has(l))
      .map((l) => `${what} in the derived table, not in the replica: ${l}`),
  ];
}

/**
 * Compares the list tables with what the replica says they must hold, found independently of how they are
 * kept: shipments from the chaincode's own per-organisation index keys (`shipidx`) and the shipments they name,
 * counts recounted from those, alerts from the alert keys. Both sides are read at one replica height (the walk
 * starts again when a block is applied meanwhile).
 */
export async function checkLists(db: Database, replica: ReplicaStore): Promise<ListCheck> {
  for (let attempt = 1; ; attempt++) {
    const height = await replica.height();
    const state = replica.at(height);
    const shipments: string[][] = [];
    for await (const { attributes } of walk(state, KEY.shipmentByOrg)) {
      const [msp, side, id] = attributes;
      const doc = await state.get(createCompositeKey(KEY.shipment, [id]));
      const shipment =
        doc && (JSON.parse(Buffer.from(doc).toString('utf8')) as { status: string; createdAt: string });
      const direction = side === 'in' ? 'incoming' : 'outgoing';
      shipments.push([
        msp,
        direction,
        id,
        shipment?.status ?? '(no shipment)',
        shipment ? shipmentSortKey(shipment.createdAt, id) : '',
        doc ? Buffer.from(doc).toString('base64') : '',
      ]);
    }
    const counted = new Map<string, number>();
    for (const [msp, direction, , status] of shipments) {
      const key = [msp, direction, status].join('|');
      counted.set(key, (counted.get(key) ?? 0) + 1);
    }
    const alerts: string[][] = [];
    for await (const { attributes, value } of walk(state, KEY.alert)) {
      const { org } = JSON.parse(value.toString('utf8')) as { org: string };
      const row = alertRowOf(attributes);
      if (row) alerts.push([...row, org, value.toString('base64')]);
    }

    const derivedShipments = await db.all<Record<string, string> & { doc: Buffer }>(
      'SELECT msp, direction, id, status, sort, doc FROM list_shipments',
    );
    const derivedCounts = await db.all<Record<string, string | number>>(
      'SELECT msp, direction, status, n FROM list_shipment_counts',
    );
    const derivedAlerts = await db.all<{ inverted: string; tx_id: string; org: string; doc: Buffer }>(
      'SELECT inverted, tx_id, org, doc FROM list_alerts',
    );
    if ((await replica.height()) !== height && attempt < ATTEMPTS) continue;

    const drift = [
      ...differences(
        'shipment row',
        lines(
          derivedShipments.map((r) => [
            r.msp,
            r.direction,
            r.id,
            r.status,
            r.sort,
            Buffer.from(r.doc).toString('base64'),
          ]),
        ),
        lines(shipments),
      ),
      ...differences(
        'shipment count',
        lines(derivedCounts.map((r) => [r.msp, r.direction, r.status, Number(r.n)])),
        lines([...counted].map(([key, n]) => [key, n])),
      ),
      ...differences(
        'alert row',
        lines(derivedAlerts.map((r) => [r.inverted, r.tx_id, r.org, Buffer.from(r.doc).toString('base64')])),
        lines(alerts),
      ),
    ];
    return { height, shipmentRows: derivedShipments.length, alertRows: derivedAlerts.length, drift };
  }
}
