// A DrugTrace channel in memory: the real contract classes over the fake ledger, the organisations of
// network/network.yaml (plus a second manufacturer and pharmacy to test "someone else's"), and helpers
// that drive whole transactions the way the gateway does (string arguments, JSON results).

import { Context } from 'fabric-contract-api';
import { CommissionResult, Shipment, UnitView } from '../api';
import { AuditContract } from '../contracts/audit.contract';
import { BatchesContract } from '../contracts/batches.contract';
import { ContainersContract } from '../contracts/containers.contract';
import { ProductsContract } from '../contracts/products.contract';
import { RegistryContract } from '../contracts/registry.contract';
import { ShipmentsContract } from '../contracts/shipments.contract';
import { UnitsContract } from '../contracts/units.contract';
import { VerificationContract } from '../contracts/verification.contract';
import { gs1CheckDigit, LedgerEvent, Role } from '../domain';
import { GLN_ATTR, ROLE_ATTR } from '../ledger/caller';
import { KEY } from '../ledger/keys';
import { ResultSerializer } from '../ledger/serialize';
import { createCompositeKey, FakeLedger, FakeLedgerOptions, Identity, policyOrgs } from './fake-ledger';

/** Appends the GS1 check digit. */
export const withCheckDigit = (body: string): string => body + gs1CheckDigit(body);

export const GTIN = withCheckDigit('0950600013435'); // 09506000134352
export const GTIN_2 = withCheckDigit('0950600013436');
export const GTIN_OTHER_MAKER = withCheckDigit('0470000000001');
/** An SSCC whose company prefix (0614141) no organisation of the registry holds: its first packer owns it. */
export const sscc = (n: number): string => withCheckDigit(`10614141${String(n).padStart(9, '0')}`);
/** An SSCC under a GS1 company prefix (extension digit 1), e.g. one of ORG's `companyPrefixes`. */
export const ssccUnder = (prefix: string, n: number): string =>
  withCheckDigit(`1${prefix}${String(n).padStart(16 - prefix.length, '0')}`);

export interface OrgFixture {
  mspId: string;
  role: Role;
  name: string;
  glns: string[];
  companyPrefixes?: string[];
}

export const ORG = {
  manufacturer: {
    mspId: 'ManufacturerMSP',
    role: 'MANUFACTURER',
    name: 'Acme Pharma',
    glns: [withCheckDigit('950600000000')],
    companyPrefixes: ['950600000'],
  },
  manufacturer2: {
    mspId: 'GenericaMSP',
    role: 'MANUFACTURER',
    name: 'Generica',
    glns: [withCheckDigit('470000000000')],
  },
  distributor: {
    mspId: 'DistributorMSP',
    role: 'DISTRIBUTOR',
    name: 'Wholesale Ltd',
    glns: [withCheckDigit('950600001000')],
    companyPrefixes: ['950600001'],
  },
  pharmacy: {
    mspId: 'PharmacyMSP',
    role: 'PHARMACY',
    name: 'High Street Pharmacy',
    glns: [withCheckDigit('950600002000'), withCheckDigit('950600002001')],
  },
  pharmacy2: {
    mspId: 'PharmacyBMSP',
    role: 'PHARMACY',
    name: 'Corner Pharmacy',
    glns: [withCheckDigit('950600003000')],
  },
  regulator: {
    mspId: 'RegulatorMSP',
    role: 'REGULATOR',
    name: 'Medicines Agency',
    glns: [withCheckDigit('950600009000')],
  },
} satisfies Record<string, OrgFixture>;

export type OrgName = keyof typeof ORG;

/** A user of an organisation, with the certificate attributes Fabric CA enrols (`drugtrace.role`, `drugtrace.gln`). */
export function user(
  org: OrgName,
  opts: { gln?: string; role?: string; noAttrs?: boolean; name?: string } = {},
): Identity {
  const o: OrgFixture = ORG[org];
  const name = opts.name ?? `${org}-user`;
  if (opts.noAttrs) return { mspId: o.mspId, name };
  return {
    mspId: o.mspId,
    name,
    attrs: { [ROLE_ATTR]: opts.role ?? o.role, [GLN_ATTR]: opts.gln ?? o.glns[0] },
  };
}

export const ID = {
  manufacturer: user('manufacturer'),
  manufacturer2: user('manufacturer2'),
  distributor: user('distributor'),
  pharmacy: user('pharmacy'),
  pharmacy2: user('pharmacy2'),
  regulator: user('regulator'),
  resolver: user('regulator', { role: 'RESOLVER' }),
  outsider: { mspId: 'StrangerMSP', name: 'mallory', attrs: { [ROLE_ATTR]: 'PHARMACY' } } as Identity,
};

type Tx = (ctx: Context) => Promise<unknown>;

/** A transaction's result as the peer sends it: the bytes of the chaincode's result serialiser. */
export function resultJson(result: unknown): string {
  return new ResultSerializer().toBuffer(result, {}).toString('utf8');
}

/** A result as a client reads it. */
export function onTheWire<T>(result: unknown): T {
  return JSON.parse(resultJson(result)) as T;
}

/** The whole chaincode on one fake channel. */
export class Chain {
  readonly ledger: FakeLedger;
  readonly registry = new RegistryContract();
  readonly products = new ProductsContract();
  readonly batches = new BatchesContract();
  readonly units = new UnitsContract();
  readonly containers = new ContainersContract();
  readonly shipments = new ShipmentsContract();
  readonly verification = new VerificationContract();
  readonly audit = new AuditContract();

  constructor(options: FakeLedgerOptions = {}) {
    this.ledger = new FakeLedger(options);
  }

  /** Submits (with transient data, each entry as JSON); the result as the client reads it. */
  async submit<T = Record<string, unknown>>(
    who: Identity,
    tx: Tx,
    transient: Record<string, unknown> = {},
  ): Promise<T> {
    const data = Object.fromEntries(Object.entries(transient).map(([k, v]) => [k, JSON.stringify(v)]));
    return onTheWire<T>(await this.ledger.submit(who, tx, data));
  }

  async evaluate<T = Record<string, unknown>>(who: Identity, tx: Tx): Promise<T> {
    return onTheWire<T>(await this.ledger.evaluate(who, tx));
  }

  /** The event of the last committed transaction, parsed. */
  lastEvent(): { name: string; payload: LedgerEvent } | undefined {
    const event = this.ledger.lastTx?.event;
    return event && { name: event.name, payload: JSON.parse(event.payload.toString('utf8')) as LedgerEvent };
  }

  /** The committed key-level endorsement organisations of a unit or container key. */
  unitPolicy(gtin: string, serial: string): string[] {
    return policyOrgs(this.ledger.validationParameter(createCompositeKey(KEY.unit, [gtin, serial])));
  }

  containerPolicy(code: string): string[] {
    return policyOrgs(this.ledger.validationParameter(createCompositeKey(KEY.container, [code])));
  }

  // ---- a typical supply chain, step by step

  async seed(orgs: OrgName[] = Object.keys(ORG) as OrgName[]): Promise<void> {
    const list = orgs.map((o) => ORG[o]);
    await this.ledger.submit(ID.regulator, (ctx) => this.registry.Seed(ctx, JSON.stringify(list)));
  }

  async registerProduct(gtin = GTIN, who: Identity = ID.manufacturer): Promise<void> {
    const product = {
      gtin,
      name: 'Amoxicillin 500 mg capsules',
      genericName: 'amoxicillin',
      strength: '500 mg',
      dosageForm: 'capsule',
      marketingAuthorization: 'H20190001',
    };
    await this.ledger.submit(who, (ctx) => this.products.Register(ctx, JSON.stringify(product)));
  }

  async commission(
    request: {
      serials?: string[];
      quantity?: number;
      lot?: string;
      expiry?: string;
      gtin?: string;
      manufacturedOn?: string;
      idempotencyKey?: string;
    },
    who: Identity = ID.manufacturer,
  ): Promise<CommissionResult> {
    const body = { gtin: GTIN, lot: 'A1B2', expiry: '2028-06-30', manufacturedOn: '2026-11-01', ...request };
    return this.submit<CommissionResult>(who, (ctx) => this.batches.Commission(ctx, JSON.stringify(body)));
  }

  async pack(
    who: Identity,
    code: string,
    contents: ({ gtin: string; serial: string } | { sscc: string })[],
  ): Promise<void> {
    await this.ledger.submit(who, (ctx) =>
      this.containers.Pack(ctx, JSON.stringify({ sscc: code, contents })),
    );
  }

  async ship(
    who: Identity,
    to: OrgName,
    goods: { units?: { gtin: string; serial: string }[]; containers?: string[] },
    toGln: string = ORG[to].glns[0],
  ): Promise<Shipment> {
    const body = { to: ORG[to].mspId, toGln, ...goods };
    return this.submit<Shipment>(who, (ctx) => this.shipments.Create(ctx, JSON.stringify(body)));
  }

  async receive(who: Identity, id: string): Promise<Shipment> {
    return this.submit<Shipment>(who, (ctx) => this.shipments.Receive(ctx, id));
  }

  async unit(gtin: string, serial: string, who: Identity = ID.regulator): Promise<UnitView> {
    return this.evaluate<UnitView>(who, (ctx) => this.units.Get(ctx, gtin, serial));
  }

  /** Seeded registry, one product, serials commissioned at the manufacturer. */
  static async withStock(
    serials: string[] = ['S0001', 'S0002', 'S0003'],
    options: FakeLedgerOptions = {},
  ): Promise<Chain> {
    const chain = new Chain(options);
    await chain.seed();
    await chain.registerProduct();
    await chain.commission({ serials });
    return chain;
  }

  /** Stock moved manufacturer → distributor → pharmacy, received at each step. */
  static async atPharmacy(serials: string[] = ['S0001', 'S0002', 'S0003']): Promise<Chain> {
    const chain = await Chain.withStock(serials);
    const units = serials.map((serial) => ({ gtin: GTIN, serial }));
    const toDistributor = await chain.ship(ID.manufacturer, 'distributor', { units });
    await chain.receive(ID.distributor, toDistributor.id);
    const toPharmacy = await chain.ship(ID.distributor, 'pharmacy', { units });
    await chain.receive(ID.pharmacy, toPharmacy.id);
    return chain;
  }
}

/**
 * Runs `action`, expects it to fail with the chaincode's stable code, and checks the committed world
 * state is byte-for-byte what it was before: a refused transaction leaves no trace.
 */
export async function expectRefused(
  chain: Chain,
  action: () => Promise<unknown>,
  code: string,
  detail?: RegExp,
): Promise<Error> {
  const before = chain.ledger.snapshot();
  const txCount = chain.ledger.transactions.length;
  let error: unknown;
  try {
    await action();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof Error))
    throw new Error(`expected the transaction to be refused with ${code}, but it succeeded`);
  if (!error.message.startsWith(`${code}: `)) throw new Error(`expected ${code}, got: ${error.message}`);
  if (detail && !detail.test(error.message))
    throw new Error(`expected message matching ${detail}, got: ${error.message}`);
  if (chain.ledger.transactions.length !== txCount) throw new Error('a refused transaction was committed');
  const after = chain.ledger.snapshot();
  if (after.size !== before.size || [...after].some(([k, v]) => before.get(k) !== v)) {
    throw new Error('the world state changed although the transaction was refused');
  }
  return error;
}
