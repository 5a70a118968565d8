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
