import { myPacksPath, recallNoticesOf, whereaboutsOf } from './whereabouts';

describe(whereaboutsOf.name, () => {
  it('folds per-state rows into holders with their names, counting every pack once', () => {
    const rows = [
      { msp: 'PharmacyMSP', gln: '1', state: 'ACTIVE', count: 2 },
      { msp: 'PharmacyMSP', gln: '1', state: 'DISPENSED', count: 3 },
      { msp: 'DistributorMSP', gln: '2', state: 'ACTIVE', count: 5 },
      { msp: 'ManufacturerMSP', gln: '3', state: 'IN_TRANSIT', count: 1 },
      { msp: 'ManufacturerMSP', gln: '3', state: 'DESTROYED', count: 1 },
    ];
    const w = whereaboutsOf(rows, new Map([['PharmacyMSP', 'High Street Pharmacy']]));
    expect(w.total).toBe(12);
    expect(w.byState).toEqual({ ACTIVE: 7, DISPENSED: 3, IN_TRANSIT: 1, DESTROYED: 1 });
    expect(w.holders).toEqual([
      {
        msp: 'DistributorMSP',
        gln: '2',
        name: 'DistributorMSP',
        active: 5,
        inTransit: 0,
        dispensed: 0,
        other: 0,
      },
      {
        msp: 'PharmacyMSP',
        gln: '1',
        name: 'High Street Pharmacy',
        active: 2,
        inTransit: 0,
        dispensed: 3,
        other: 0,
      },
      {
        msp: 'ManufacturerMSP',
        gln: '3',
        name: 'ManufacturerMSP',
        active: 0,
        inTransit: 1,
        dispensed: 0,
        other: 1,
      },
    ]);
  });

  it('is empty for a batch without packs', () => {
    expect(whereaboutsOf([], new Map())).toEqual({ total: 0, byState: {}, holders: [] });
  });
});

describe(recallNoticesOf.name, () => {
  it('names each organisation with packs still in circulation and that count, most first', () => {
    expect(
      recallNoticesOf([
        { msp: 'DistributorMSP', state: 'ACTIVE', count: 3 },
        { msp: 'ManufacturerMSP', state: 'ACTIVE', count: 1 },
        { msp: 'ManufacturerMSP', state: 'IN_TRANSIT', count: 2 },
        { msp: 'PharmacyMSP', state: 'ACTIVE', count: 1 },
        { msp: 'PharmacyMSP', state: 'DISPENSED', count: 4 },
        { msp: 'RegulatorMSP', state: 'DESTROYED', count: 2 },
      ]),
    ).toEqual([
      { msp: 'DistributorMSP', count: 3 },
      { msp: 'ManufacturerMSP', count: 3 },
      { msp: 'PharmacyMSP', count: 1 },
    ]);
    expect(recallNoticesOf([{ msp: 'PharmacyMSP', state: 'DISPENSED', count: 1 }])).toEqual([]);
  });

  it('links to the organisation’s own packs in circulation, the path encoded', () => {
    expect(myPacksPath('09506000134352', 'A/1')).toBe(
      '/v1/batches/09506000134352/A%2F1/my-packs?state=ACTIVE',
    );
  });
});
