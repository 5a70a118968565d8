/**
 * Recall whereabouts on the real network: per holder and state, the counts GET
 * /v1/audit/batches/{gtin}/{lot}/whereabouts answers equal a walk over the ledger's packs of the same batch
 * (GET /v1/units/{gtin}/{serial} for each), for the regulator and the batch's manufacturer only.
 */
import { api } from '../support/http';
import {
  commissionBatch,
  expectProblem,
  expectStatus,
  glnOf,
  moveUnits,
  mspOf,
  seenBy,
  shipUnits,
} from './supply-chain';

interface Holder {
  msp: string;
  gln: string;
  name: string;
  active: number;
  inTransit: number;
  dispensed: number;
  other: number;
}

describe('GET /v1/audit/batches/{gtin}/{lot}/whereabouts', () => {
  it('equals a walk over the ledger: packs at the manufacturer, in transit, at the distributor, dispensed', async () => {
    const b = await commissionBatch(10);
    const [toDistributor, toPharmacy, inTransit] = [
      b.serials.slice(0, 6),
      b.serials.slice(0, 3),
      b.serials.slice(6, 8),
    ];
    await moveUnits(b, toDistributor, 'manufacturer', 'distributor');
    await moveUnits(b, toPharmacy, 'distributor', 'pharmacy');
    await shipUnits(b, inTransit, 'manufacturer', 'distributor');
    const dispensed = await api('POST', `/v1/units/${b.gtin}/${toPharmacy[0]}/dispense`, { as: 'pharmacy' });
    expectStatus(dispensed, 200);
    await seenBy('regulator', `/v1/units/${b.gtin}/${toPharmacy[0]}`, (r) => r.body?.state === 'DISPENSED');
    const recall = await api('POST', `/v1/batches/${b.gtin}/${b.lot}/recall`, {
      as: 'manufacturer',
      body: { reason: 'out-of-specification dissolution' },
    });
    expectStatus(recall, 200);
    await seenBy('regulator', `/v1/batches/${b.gtin}/${b.lot}`, (r) => r.body?.status === 'RECALLED');

    const res = await api<{
      total: number;
      byState: Record<string, number>;
      holders: Holder[];
      asOfBlock: number;
      status: string;
    }>('GET', `/v1/audit/batches/${b.gtin}/${b.lot}/whereabouts`, { as: 'regulator' });
    expectStatus(res, 200);

    // The walk: every pack of the batch, one by one, as the ledger holds it.
    const walked = new Map<string, Omit<Holder, 'name'>>();
    const byState: Record<string, number> = {};
    for (const serial of b.serials) {
      const unit = await api('GET', `/v1/units/${b.gtin}/${serial}`, { as: 'regulator' });
      expectStatus(unit, 200);
      const state = unit.body.inTransit && unit.body.state === 'ACTIVE' ? 'IN_TRANSIT' : unit.body.state;
      byState[state] = (byState[state] ?? 0) + 1;
      const { msp, gln } = unit.body.custodian;
      const holder = walked.get(`${msp}|${gln}`) ?? {
        msp,
        gln,
        active: 0,
        inTransit: 0,
        dispensed: 0,
        other: 0,
      };
      if (state === 'ACTIVE') holder.active++;
      else if (state === 'IN_TRANSIT') holder.inTransit++;
      else if (state === 'DISPENSED') holder.dispensed++;
      else holder.other++;
      walked.set(`${msp}|${gln}`, holder);
    }
    expect(res.body.total).toBe(b.serials.length);
    expect(res.body.status).toBe('RECALLED');
    expect(res.body.byState).toEqual(byState);
    const counts = (h: Omit<Holder, 'name'>) => [h.msp, h.gln, h.active, h.inTransit, h.dispensed, h.other];
    expect(res.body.holders.map(counts).sort()).toEqual([...walked.values()].map(counts).sort());
    // And the figures the set-up made: 2 left at the manufacturer, 2 in transit from it, 3 at the distributor,
    // 2 active and 1 dispensed at the pharmacy.
    expect(byState).toEqual({ ACTIVE: 7, IN_TRANSIT: 2, DISPENSED: 1 });
    const at = (org: string) => res.body.holders.find((h) => h.msp === mspOf(org) && h.gln === glnOf(org));
    expect(at('manufacturer')).toMatchObject({ active: 2, inTransit: 2, name: expect.any(String) });
    expect(at('distributor')).toMatchObject({ active: 3, inTransit: 0 });
    expect(at('pharmacy')).toMatchObject({ active: 2, dispensed: 1 });
    expect(res.body.asOfBlock).toBeGreaterThan(0);

    const maker = await api('GET', `/v1/audit/batches/${b.gtin}/${b.lot}/whereabouts`, {
      as: 'manufacturer',
    });
    expectStatus(maker, 200);
    expect(maker.body.byState).toEqual(byState);
  });

  it('403 for a distributor or pharmacy, 404 for an unknown batch, 400 for a bad GTIN', async () => {
    const b = await commissionBatch(1);
    for (const as of ['distributor', 'pharmacy'] as const)
      expectProblem(
        await api('GET', `/v1/audit/batches/${b.gtin}/${b.lot}/whereabouts`, { as }),
        403,
        'FORBIDDEN',
      );
    expectProblem(
      await api('GET', `/v1/audit/batches/${b.gtin}/NOPE/whereabouts`, { as: 'regulator' }),
      404,
      'NOT_FOUND',
    );
    expectProblem(
      await api('GET', `/v1/audit/batches/123/${b.lot}/whereabouts`, { as: 'regulator' }),
      400,
      'INVALID',
    );
  });
});
