import { KEY } from './keys';
import { custodyOf } from './custody';
import { Batch, Container, Org, Shipment, Unit, UnitView } from './models';
import { Store } from './store';

// The ledger's documents read by key, for every contract: NOT_FOUND when absent.

export async function getUnit(store: Store, gtin: string, serial: string): Promise<Unit> {
  return store.get<Unit>(KEY.unit, [gtin, serial], `unit ${gtin}/${serial} was never commissioned; it`);
}

export async function getBatch(store: Store, gtin: string, lot: string): Promise<Batch> {
  return store.get<Batch>(KEY.batch, [gtin, lot], `batch ${gtin}/${lot}`);
}

export async function getContainer(store: Store, sscc: string): Promise<Container> {
  return store.get<Container>(KEY.container, [sscc], `container ${sscc}`);
}

export async function getShipment(store: Store, id: string): Promise<Shipment> {
  return store.get<Shipment>(KEY.shipment, [id], `shipment ${id}`);
}

/** Every admitted organisation. */
export async function listOrgs(store: Store): Promise<Org[]> {
  const orgs: Org[] = [];
  for await (const { value } of store.entries<Org>(KEY.org, [])) orgs.push(value);
  return orgs;
}

/** A unit as clients see it: its effective custodian and whether it is in transit. */
export async function unitView(store: Store, unit: Unit): Promise<UnitView> {
  const custody = await custodyOf(store, unit);
  return {
    ...unit,
    custodian: custody.custodian,
    inTransit: custody.inTransit,
    shipmentId: custody.shipmentId,
    container: custody.top,
  };
}
