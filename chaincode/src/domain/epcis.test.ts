import { toEpcisDocument, toEpcisEvent } from './epcis';
import { LedgerEvent } from './types';

const base = { at: '2027-03-01T10:00:00.000Z', org: 'ManufacturerMSP', gln: '9506000000003', txId: 'abc' };

describe(toEpcisEvent.name, () => {
  it('maps commissioning to an ObjectEvent ADD with SGTINs (serials percent-encoded)', () => {
    const event: LedgerEvent = {
      ...base,
      type: 'COMMISSIONED',
      gtin: '09506000134352',
      lot: 'A1',
      serials: ['S1', 'A/B'],
    };
    expect(toEpcisEvent(event)).toMatchObject({
      type: 'ObjectEvent',
      action: 'ADD',
      bizStep: 'https://ref.gs1.org/cbv/BizStep-commissioning',
      disposition: 'https://ref.gs1.org/cbv/Disp-active',
      epcList: [
        'https://id.gs1.org/01/09506000134352/21/S1',
        'https://id.gs1.org/01/09506000134352/21/A%2FB',
      ],
      readPoint: { id: 'https://id.gs1.org/414/9506000000003' },
      eventTime: base.at,
      'drugtrace:txId': 'abc',
    });
  });

  it('names the person who acted, when the ledger event does', () => {
    const event: LedgerEvent = { ...base, type: 'DISPENSED', gtin: '09506000134352', serial: 'S1' };
    expect(toEpcisEvent({ ...event, user: 'alice' })).toMatchObject({ 'drugtrace:user': 'alice' });
    expect(toEpcisEvent(event)).not.toHaveProperty('drugtrace:user');
  });

  it('maps packing to an AggregationEvent with the SSCC as parent', () => {
    const event: LedgerEvent = {
      ...base,
      type: 'PACKED',
      gtin: '09506000134352',
      lot: 'A1',
      serials: ['S1'],
      sscc: '106141412345678908',
    };
    const epcis = toEpcisEvent(event);
    expect(epcis).toMatchObject({
      type: 'AggregationEvent',
      action: 'ADD',
      parentID: 'https://id.gs1.org/00/106141412345678908',
      childEPCs: ['https://id.gs1.org/01/09506000134352/21/S1'],
    });
    expect(epcis).not.toHaveProperty('epcList');
  });

  it('counts rather than lists the packs of a recalled lot', () => {
    const event: LedgerEvent = {
      ...base,
      type: 'RECALLED',
      gtin: '09506000134352',
      lot: 'A 1',
      serialCount: 1200,
    };
    expect(toEpcisEvent(event)).toMatchObject({
      disposition: 'https://ref.gs1.org/cbv/Disp-recalled',
      quantityList: [{ epcClass: 'https://id.gs1.org/01/09506000134352/10/A%201', quantity: 1200 }],
    });
  });

  it('links shipping events to their shipment and keeps alert reasons', () => {
    const shipped = toEpcisEvent({
      ...base,
      type: 'SHIPPED',
      shipmentId: 'tx9',
      gtin: '09506000134352',
      serials: ['S1'],
    });
    expect(shipped.bizTransactionList).toEqual([
      { type: 'https://ref.gs1.org/cbv/BTT-desadv', bizTransaction: 'urn:drugtrace:shipment:tx9' },
    ]);
    const alert = toEpcisEvent({
      ...base,
      type: 'ALERT',
      gtin: '09506000134352',
      serial: 'S1',
      reasons: ['UNKNOWN_SERIAL'],
    });
    expect(alert['drugtrace:reasons']).toEqual(['UNKNOWN_SERIAL']);
  });

  it('gives an event the same ID on every export, and different events different IDs', () => {
    const event: LedgerEvent = { ...base, type: 'DISPENSED', gtin: '09506000134352', serial: 'S1' };
    expect(toEpcisEvent(event).eventID).toBe(toEpcisEvent({ ...event }).eventID);
    expect(toEpcisEvent(event).eventID).not.toBe(toEpcisEvent({ ...event, serial: 'S2' }).eventID);
    expect(toEpcisEvent(event).eventID).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  });
});

describe(toEpcisDocument.name, () => {
  it('is an EPCIS 2.0 document with the batch’s events oldest first', () => {
    const later: LedgerEvent = {
      ...base,
      type: 'SHIPPED',
      at: '2027-03-02T00:00:00.000Z',
      gtin: '09506000134352',
      serials: ['S1'],
    };
    const earlier: LedgerEvent = {
      ...base,
      type: 'COMMISSIONED',
      gtin: '09506000134352',
      lot: 'A1',
      serials: ['S1'],
    };
    const doc = toEpcisDocument([later, earlier], {
      gtin: '09506000134352',
      lot: 'A1',
      createdAt: '2027-04-01T00:00:00.000Z',
    }) as {
      type: string;
      schemaVersion: string;
      epcisBody: { eventList: { eventTime: string }[] };
    };
    expect(doc.type).toBe('EPCISDocument');
    expect(doc.schemaVersion).toBe('2.0');
    expect(doc.epcisBody.eventList.map((e) => e.eventTime)).toEqual([earlier.at, later.at]);
  });
});
