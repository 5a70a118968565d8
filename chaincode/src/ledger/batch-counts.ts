import { UnitState } from '../domain';
import { Custody, custodyOf, Holder } from './custody';
import { BatchCounts, CustodianCount } from './models';
import { Store } from './store';

/** Units of one batch that share a state and a holder: one unit when the contract reads them one by one. */
export interface UnitGroup extends Holder {
  state: UnitState;
  count: number;
}

/**
 * A batch's units counted by state and by custodian: a packed unit's custodian is its outermost container's, and
 * an active unit in transit counts as IN_TRANSIT. The contract feeds it every unit; the gateway's read model the
 * groups its table keeps, so both count by this one rule.
 */
export async function countBatch(
  store: Store,
  groups: AsyncIterable<UnitGroup> | Iterable<UnitGroup>,
): Promise<BatchCounts> {
  const byState: Record<string, number> = {};
  const byCustodian = new Map<string, CustodianCount>();
  const containerCustody = new Map<string, Custody>();
  for await (const group of groups) {
    let custody = group.parent ? containerCustody.get(group.parent) : undefined;
    if (!custody) {
      custody = await custodyOf(store, group);
      if (group.parent) containerCustody.set(group.parent, custody);
    }
    const state = custody.inTransit && group.state === 'ACTIVE' ? 'IN_TRANSIT' : group.state;
    byState[state] = (byState[state] ?? 0) + group.count;
    const k = `${custody.custodian.msp}|${custody.custodian.gln}|${state}`;
    const row = byCustodian.get(k) ?? { ...custody.custodian, state, count: 0 };
    row.count += group.count;
    byCustodian.set(k, row);
  }
  const rows = [...byCustodian.values()].sort((a, b) =>
    `${a.msp}${a.gln}${a.state}`.localeCompare(`${b.msp}${b.gln}${b.state}`),
  );
  return { byState, byCustodian: rows };
}
