import { Injectable } from '@nestjs/common';
import {
  AUDIT,
  AuditApi,
  BATCHES,
  BatchesApi,
  ClientOf,
  ContractApi,
  ContractSpec,
  CONTAINERS,
  ContainersApi,
  Privately,
  PRODUCTS,
  ProductsApi,
  REGISTRY,
  RegistryApi,
  SHIPMENTS,
  ShipmentsApi,
  toWireArg,
  UNITS,
  UnitsApi,
  VERIFICATION,
  VerificationApi,
} from '@drugtrace/chaincode/api';
import { Who } from '../auth/caller';
import { ReadModel } from '../replica/read-model';
import { LedgerClient } from './ledger-client';

type Call = (who: Who, contract: string, tx: string, ...args: string[]) => Promise<unknown>;
/** How a write is answered: once the read model reflects it. */
type Visible = <T>(write: () => Promise<T>) => Promise<T>;

/**
 * One contract's transactions as typed methods: `units.dispense(caller, gtin, serial)` endorses and commits
 * `units:Dispense` through the Fabric port, a read goes to `read`. Names, argument tuples and result types come
 * from the chaincode's contract API, so a renamed transaction, argument or result field fails to compile here.
 */
function client<A extends ContractApi<A>>(
  read: Call,
  ledger: LedgerClient,
  visible: Visible,
  spec: ContractSpec<A>,
): ClientOf<A, Who> {
  const privately = new Set(Object.keys(spec.privately ?? {}));
  const methods = Object.entries<boolean>(spec.writes).map(([tx, writes]) => {
    const call = (who: Who, ...args: unknown[]): Promise<unknown> => {
      if (!writes) return read(who, spec.name, tx, ...args.map(toWireArg));
      if (!privately.has(tx)) return visible(() => ledger.submit(who, spec.name, tx, ...args.map(toWireArg)));
      // A private write: its first argument is the transient data and who may endorse (see it).
      const [{ transient, endorsers }, ...rest] = args as [Privately<Record<string, unknown>>, ...unknown[]];
      const transientData = Object.fromEntries(Object.entries(transient).map(([k, v]) => [k, toWireArg(v)]));
      return visible(() =>
        ledger.submitWith(
          who,
          spec.name,
          tx,
          { transientData, endorsingOrganizations: endorsers },
          ...rest.map(toWireArg),
        ),
      );
    };
    return [tx.charAt(0).toLowerCase() + tx.slice(1), call];
  });
  // The one place the parsed JSON takes its declared type: the chaincode returns exactly these types.
  return Object.fromEntries(methods) as ClientOf<A, Who>;
}

/** A write made ready: its transaction ID now, the write itself when called. */
export interface PreparedWrite<T> {
  txId: string;
  submit: () => Promise<T>;
}

/** A contract's writes, each prepared before it is sent: `recordScan(caller, raw, gln).txId`. */
export type PreparedOf<A extends ContractApi<A>> = {
  [K in keyof A & string as A[K]['writes'] extends true ? Uncapitalize<K> : never]: (
    who: Who,
    ...args: A[K]['args']
  ) => PreparedWrite<A[K]['result']>;
};

function prepared<A extends ContractApi<A>>(ledger: LedgerClient, spec: ContractSpec<A>): PreparedOf<A> {
  const methods = Object.entries<boolean>(spec.writes)
    .filter(([, writes]) => writes)
    .map(([tx]) => {
      const prepare = (who: Who, ...args: unknown[]) =>
        ledger.prepareSubmit(who, spec.name, tx, ...args.map(toWireArg));
      return [tx.charAt(0).toLowerCase() + tx.slice(1), prepare];
    });
  return Object.fromEntries(methods) as PreparedOf<A>;
}

/** The chaincode's contracts, typed, with reads going where `read` sends them and writes to the peers. */
class Contracts {
  readonly registry: ClientOf<RegistryApi, Who>;
  readonly products: ClientOf<ProductsApi, Who>;
  readonly batches: ClientOf<BatchesApi, Who>;
  readonly units: ClientOf<UnitsApi, Who>;
  readonly containers: ClientOf<ContainersApi, Who>;
  readonly shipments: ClientOf<ShipmentsApi, Who>;
  readonly verification: ClientOf<VerificationApi, Who>;
  readonly audit: ClientOf<AuditApi, Who>;

  constructor(read: Call, ledger: LedgerClient, visible: Visible) {
    this.registry = client(read, ledger, visible, REGISTRY);
    this.products = client(read, ledger, visible, PRODUCTS);
    this.batches = client(read, ledger, visible, BATCHES);
    this.units = client(read, ledger, visible, UNITS);
    this.containers = client(read, ledger, visible, CONTAINERS);
    this.shipments = client(read, ledger, visible, SHIPMENTS);
    this.verification = client(read, ledger, visible, VERIFICATION);
    this.audit = client(read, ledger, visible, AUDIT);
  }
}

/**
 * The chaincode's contracts, typed (in the style of fabric-samples' trader-typescript contract wrapper). Writes
 * go to the peers and are answered once the read model reflects them (ReadModel.visible); reads run the contracts' own query code over the read model's replica (ReadModel), or, through
 * `onPeer`, are evaluated by the caller's peer (the endorsed answer, for auditors).
 */
@Injectable()
export class Ledger extends Contracts {
  readonly onPeer: Contracts;
  /** Writes whose transaction ID must be known before they are sent (the scan record a receipt names). */
  readonly prepared: { verification: PreparedOf<VerificationApi> };

  constructor(ledger: LedgerClient, reads: ReadModel) {
    const visible: Visible = (write) => reads.visible(write);
    super(
      async (who, contract, tx, ...args) => (await reads.read(who, contract, tx, ...args)).value,
      ledger,
      visible,
    );
    this.onPeer = new Contracts(
      async (who, contract, tx, ...args) => (await reads.ledger(who, contract, tx, ...args)).value,
      ledger,
      visible,
    );
    this.prepared = { verification: prepared(ledger, VERIFICATION) };
  }
}
