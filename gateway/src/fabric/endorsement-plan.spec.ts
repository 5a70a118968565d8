import { endorsingOrganizations } from './endorsement-plan';

describe('endorsingOrganizations', () => {
  it('names the holder and the regulator for custody changes the holder submits', () => {
    for (const [contract, tx] of [
      ['units', 'Dispense'],
      ['units', 'DispenseMany'],
      ['shipments', 'Create'],
      ['containers', 'Pack'],
    ])
      expect(endorsingOrganizations(contract, tx, 'PharmacyMSP', 'RegulatorMSP')).toEqual([
        'PharmacyMSP',
        'RegulatorMSP',
      ]);
  });

  it('leaves the plan to the peers where another party must endorse, or the caller is the regulator', () => {
    expect(endorsingOrganizations('shipments', 'Receive', 'PharmacyMSP', 'RegulatorMSP')).toBeUndefined();
    expect(endorsingOrganizations('batches', 'Recall', 'ManufacturerMSP', 'RegulatorMSP')).toBeUndefined();
    expect(endorsingOrganizations('shipments', 'Create', 'RegulatorMSP', 'RegulatorMSP')).toBeUndefined();
  });
});
