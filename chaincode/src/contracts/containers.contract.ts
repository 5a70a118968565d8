import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ContainersApi, ContractOf, PackRequest } from '../api';
import {
  assertSscc,
  DomainError,
  LedgerEvent,
  MAX_GOODS_PER_MOVE,
  ssccOwner,
  ssccPackRefusal,
} from '../domain';
import { assertHolds, custodyOf, MAX_NESTING } from '../ledger/custody';
import { emit, recordContainerEvent, recordPerBatch } from '../ledger/events';
import { KEY } from '../ledger/keys';
import { Container, ContainerView, ItemRef, PackResult } from '../ledger/models';
import { assertMovable, Goods, loadGoods, saveGoods } from '../ledger/goods';
import { getContainer, getUnit, listOrgs } from '../ledger/records';
import { parseJson, session } from '../ledger/session';

@Info({ title: 'Containers', description: 'Cases and pallets (SSCC): packing and unpacking, nested' })
export class ContainersContract extends Contract implements ContractOf<ContainersApi, Context> {
  constructor() {
    super('containers');
  }

  @Transaction()
  @Returns('PackResult')
  async Pack(ctx: Context, requestJson: string): Promise<PackResult> {
    const { store, caller } = await session(ctx);
    const input = parseJson<PackRequest>(requestJson, 'container');
    assertSscc(String(input.sscc));
    if (!Array.isArray(input.contents)) throw new DomainError('INVALID', 'contents must be an array');
    const previous = await store.find<Container>(KEY.container, [input.sscc]);
    if (previous?.packed) throw new DomainError('CONFLICT', `container ${input.sscc} is already packed`);
    // A case packed before owners were recorded: its last holder is the best known owner.
    const firstPacker = previous ? (previous.owner ?? previous.custodian.msp) : undefined;
    const orgs = await listOrgs(store);
    const refusal = ssccPackRefusal(caller.msp, input.sscc, orgs, firstPacker);
    if (refusal) throw new DomainError('FORBIDDEN', refusal);
    const units = input.contents
      .filter((c) => c.sscc === undefined)
      .map((c) => ({ gtin: String(c.gtin), serial: String(c.serial) }));
    const children = input.contents.filter((c) => c.sscc !== undefined).map((c) => String(c.sscc));
    if (children.includes(input.sscc)) throw new DomainError('INVALID', 'a container cannot contain itself');
    const goods = await loadGoods(store, units, children);
    assertMovable(goods, caller.msp);
    const levels = 1 + Math.max(0, ...goods.containers.map((c) => c.levels ?? 1));
    if (levels > MAX_NESTING)
      throw new DomainError(
        'INVALID',
        `containers nest at most ${MAX_NESTING} levels deep; this would be ${levels}`,
      );
    const now = store.now();
    const txId = store.txId();
    const last = { type: 'PACKED', at: now, org: caller.msp, gln: caller.gln, sscc: input.sscc };
    // Custody now travels on the container's key. The packed goods' own keys keep the packer's policy, so
    // changing what is inside a sealed case (unpack, dispense from it) also needs the packer's endorsement.
    await saveGoods(ctx, store, goods, (item) => Object.assign(item, { parent: input.sscc, last }), [
      caller.msp,
    ]);
    for (const u of goods.units) await store.index(KEY.content, [input.sscc, 'u', u.gtin, u.serial]);
    for (const c of goods.containers) await store.index(KEY.content, [input.sscc, 'c', c.sscc]);
    const container: Container = {
      sscc: input.sscc,
      custodian: { msp: caller.msp, gln: caller.gln },
      owner: ssccOwner(input.sscc, orgs, firstPacker) ?? caller.msp,
      packed: true,
      levels,
      last,
    };
    await saveGoods(ctx, store, { units: [], containers: [container] }, () => undefined, [caller.msp]);
    const event: LedgerEvent = {
      type: 'PACKED',
      at: now,
      org: caller.msp,
      gln: caller.gln,
      txId,
      sscc: input.sscc,
      serialCount: goods.units.length,
    };
    await recordContainerEvent(store, input.sscc, event);
    await recordPerBatch(store, goods.units, event);
    emit(ctx, event);
    return { ...container, contents: input.contents };
  }

  @Transaction()
  @Returns('Container')
  async Unpack(ctx: Context, sscc: string): Promise<Container> {
    const { store, caller } = await session(ctx);
    const container = await getContainer(store, sscc);
    if (!container.packed) throw new DomainError('CONFLICT', `container ${sscc} is already unpacked`);
    if (container.parent)
      throw new DomainError('CONFLICT', `container ${sscc} is inside ${container.parent}; unpack that first`);
    assertHolds(await custodyOf(store, container), caller.msp, `container ${sscc}`);
    const goods: Goods = { units: [], containers: [] };
    for await (const { attrs } of store.entries(KEY.content, [sscc])) {
      if (attrs[1] === 'u') goods.units.push(await getUnit(store, attrs[2], attrs[3]));
      else goods.containers.push(await getContainer(store, attrs[2]));
      await store.remove(KEY.content, attrs);
    }
    const now = store.now();
    const last = { type: 'UNPACKED', at: now, org: caller.msp, gln: caller.gln, sscc };
    const custodian = container.custodian;
    await saveGoods(
      ctx,
      store,
      goods,
      (item) => Object.assign(item, { parent: undefined, custodian, last }),
      [custodian.msp],
    );
    const unpacked: Container = { ...container, packed: false, last };
    await saveGoods(ctx, store, { units: [], containers: [unpacked] }, () => undefined, [custodian.msp]);
    const event: LedgerEvent = {
      type: 'UNPACKED',
      at: now,
      org: caller.msp,
      gln: caller.gln,
      txId: store.txId(),
      sscc,
      serialCount: goods.units.length,
    };
    await recordContainerEvent(store, sscc, event);
    await recordPerBatch(store, goods.units, event);
    emit(ctx, event);
    return unpacked;
  }

  @Transaction(false)
  @Returns('ContainerView')
  async Get(ctx: Context, sscc: string): Promise<ContainerView> {
    const { store } = await session(ctx);
    const container = await getContainer(store, sscc);
    const custody = await custodyOf(store, container);
    const contents: ItemRef[] = [];
    for await (const { attrs } of store.entries(KEY.content, [sscc])) {
      if (contents.length >= MAX_GOODS_PER_MOVE) break;
      contents.push(attrs[1] === 'u' ? { gtin: attrs[2], serial: attrs[3] } : { sscc: attrs[2] });
    }
    return {
      ...container,
      custodian: custody.custodian,
      inTransit: custody.inTransit,
      shipmentId: custody.shipmentId,
      contents,
    };
  }
}
