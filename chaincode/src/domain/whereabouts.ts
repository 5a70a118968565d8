import { Party } from './types';

// A batch's whereabouts for a recall: how many of its packs each holder has, by state. A projection of
// per-holder counts, whoever computes them (the chaincode's batch counts now, the gateway's read model once
// it keeps the same rows), so both answer with one shape.

/** Packs of one batch at one holder in one state (IN_TRANSIT for active packs on their way). */
export interface HolderStateCount extends Party {
  state: string;
  count: number;
}

export interface Holder extends Party {
  name: string;
  active: number;
  inTransit: number;
  dispensed: number;
  /** Destroyed, stolen, sampled or exported there. */
  other: number;
}

export interface Whereabouts {
  total: number;
  byState: Record<string, number>;
  holders: Holder[];
}

/** Per-holder rows folded into holders (most packs still active first), with each organisation's name. */
export function whereaboutsOf(
  rows: readonly HolderStateCount[],
  names: ReadonlyMap<string, string>,
): Whereabouts {
  const byState: Record<string, number> = {};
  const holders = new Map<string, Holder>();
  let total = 0;
  for (const { msp, gln, state, count } of rows) {
    total += count;
    byState[state] = (byState[state] ?? 0) + count;
    const key = `${msp}|${gln}`;
    const holder = holders.get(key) ?? {
      msp,
      gln,
      name: names.get(msp) ?? msp,
      active: 0,
      inTransit: 0,
      dispensed: 0,
      other: 0,
    };
    if (state === 'ACTIVE') holder.active += count;
    else if (state === 'IN_TRANSIT') holder.inTransit += count;
    else if (state === 'DISPENSED') holder.dispensed += count;
    else holder.other += count;
    holders.set(key, holder);
  }
  const sorted = [...holders.values()].sort(
    (a, b) =>
      b.active + b.inTransit - (a.active + a.inTransit) ||
      `${a.msp}${a.gln}`.localeCompare(`${b.msp}${b.gln}`),
  );
  return { total, byState, holders: sorted };
}

/** The gateway's event to each organisation holding packs of a batch just recalled or quarantined. */
export const RECALL_NOTICE = 'RECALL_NOTICE';
/** Batch status changes that reach the batch's holders as notices. */
export const NOTICE_STATUSES: readonly string[] = ['RECALLED', 'QUARANTINED'];

/** Packs of a batch one organisation holds in one state, wherever its locations. */
export interface OrgStateCount {
  msp: string;
  state: string;
  count: number;
}

/**
 * Whom a recall or quarantine notice reaches: every organisation with packs still in circulation (active,
 * on the shelf or in transit under its custody), with that count, largest first.
 */
export function recallNoticesOf(rows: readonly OrgStateCount[]): { msp: string; count: number }[] {
  const byOrg = new Map<string, number>();
  for (const { msp, state, count } of rows)
    if (state === 'ACTIVE' || state === 'IN_TRANSIT') byOrg.set(msp, (byOrg.get(msp) ?? 0) + count);
  return [...byOrg]
    .filter(([, count]) => count > 0)
    .map(([msp, count]) => ({ msp, count }))
    .sort((a, b) => b.count - a.count || a.msp.localeCompare(b.msp));
}

/** Where a notice sends its reader: that organisation's own packs of the batch, still in circulation. */
export const myPacksPath = (gtin: string, lot: string): string =>
  `/v1/batches/${encodeURIComponent(gtin)}/${encodeURIComponent(lot)}/my-packs?state=ACTIVE`;
