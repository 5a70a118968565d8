import { Context } from 'fabric-contract-api';
import { assertGtin, assertSscc, DomainError, MAX_GOODS_PER_MOVE } from '../domain';
import { assertHolds } from './custody';
import { setCustodyPolicy } from './endorsement';
import { KEY } from './keys';
import { Container, Unit } from './models';
import { getContainer, getUnit, putUnit } from './records';
import { Store } from './store';

/** Loose units and top-level containers moved together (packing, shipping). */
export interface Goods {
  units: Unit[];
  containers: Container[];
}

export async function loadGoods(
  store: Store,
  units: { gtin: string; serial: string }[],
  containers: string[],
): Promise<Goods> {
  if (!Array.isArray(units) || !Array.isArray(containers))
    throw new DomainError('INVALID', 'units and containers must be arrays');
  const count = units.length + containers.length;
  if (count === 0) throw new DomainError('INVALID', 'nothing listed');
  if (count > MAX_GOODS_PER_MOVE)
    throw new DomainError('INVALID', `at most ${MAX_GOODS_PER_MOVE} items at once`);
  const seen = new Set<string>();
  const once = (id: string): void => {
    if (seen.has(id)) throw new DomainError('INVALID', `${id} is listed twice`);
    seen.add(id);
  };
  const goods: Goods = { units: [], containers: [] };
  for (const ref of units) {
    assertGtin(String(ref?.gtin));
    once(`${ref.gtin}/${ref.serial}`);
    goods.units.push(await getUnit(store, ref.gtin, String(ref.serial)));
  }
  for (const sscc of containers) {
    assertSscc(String(sscc));
    once(sscc);
    goods.containers.push(await getContainer(store, sscc));
  }
  return goods;
}

/** Goods that may move: active, loose (not inside another container), held by `msp`, not in transit. */
export function assertMovable(goods: Goods, msp: string): void {
  for (const u of goods.units) {
    const what = `unit ${u.gtin}/${u.serial}`;
    if (u.state !== 'ACTIVE') throw new DomainError('CONFLICT', `${what} is ${u.state}`);
    if (u.parent)
      throw new DomainError('CONFLICT', `${what} is packed in container ${u.parent}; move the container`);
    assertHolds(u, msp, what);
  }
  for (const c of goods.containers) {
    const what = `container ${c.sscc}`;
    if (!c.packed) throw new DomainError('CONFLICT', `${what} was unpacked`);
    if (c.parent) throw new DomainError('CONFLICT', `${what} is inside container ${c.parent}; move that one`);
    assertHolds(c, msp, what);
  }
}

/** Writes every item back after `change`, with a key-level policy that the `policy` organisations endorse changes. */
export async function saveGoods(
  ctx: Context,
  store: Store,
  goods: Goods,
  change: (item: Unit | Container) => void,
  policy: string[],
): Promise<void> {
  for (const u of goods.units) {
    change(u);
    await putUnit(ctx, store, u, policy);
  }
  for (const c of goods.containers) {
    change(c);
    await setCustodyPolicy(ctx, store, await store.put(KEY.container, [c.sscc], c), policy);
  }
}
