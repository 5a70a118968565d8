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

/**
 * One contract's transactions as typed methods: `units.dispense(caller, gtin, serial)` endorses and commits
 * `units:Dispense` through the Fabric port, a read goes to `read`. Names, argument tuples and result types come
 * from the chaincode's contract API, so a renamed transaction, argument or result field fails to compile here.
 */
function client<A extends ContractApi<A>>(read: Call, write: Call, spec: ContractSpec<A>): ClientOf<A, Who> {
  const methods = Object.entries<boolean>(spec.writes).map(([tx, writes]) => {
    const call = (who: Who, ...args: unknown[]): Promise<unknown> =>
      (writes ? write : read)(who, spec.name, tx, ...args.map(toWireArg));
    return [tx.charAt(0).toLowerCase() + tx.slice(1), call];
  });
  // The one place the parsed JSON takes its declared type: the chaincode returns exactly these types.
  return Object.fromEntries(methods) as ClientOf<A, Who>;
}

/** The chaincode's contracts, typed, with reads and writes going where `read` and `write` send them. */
class Contracts {
  readonly registry: ClientOf<RegistryApi, Who>;
  readonly products: ClientOf<ProductsApi, Who>;
  readonly batches: ClientOf<BatchesApi, Who>;
  readonly units: ClientOf<UnitsApi, Who>;
  readonly containers: ClientOf<ContainersApi, Who>;
  readonly shipments: ClientOf<ShipmentsApi, Who>;
  readonly verification: ClientOf<VerificationApi, Who>;
  readonly audit: ClientOf<AuditApi, Who>;

  constructor(read: Call, write: Call) {
    this.registry = client(read, write, REGISTRY);
    this.products = client(read, write, PRODUCTS);
    this.batches = client(read, write, BATCHES);
    this.units = client(read, write, UNITS);
    this.containers = client(read, write, CONTAINERS);
    this.shipments = client(read, write, SHIPMENTS);
    this.verification = client(read, write, VERIFICATION);
    this.audit = client(read, write, AUDIT);
  }
}

/**
 * The chaincode's contracts, typed (in the style of fabric-samples' trader-typescript contract wrapper). Writes
 * go to the peers; reads run the contracts' own query code over the read model's replica (ReadModel), or, through
 * `onPeer`, are evaluated by the caller's peer (the endorsed answer, for auditors).
 */
@Injectable()
export class Ledger extends Contracts {
  readonly onPeer: Contracts;

  constructor(ledger: LedgerClient, reads: ReadModel) {
    const write: Call = (who, contract, tx, ...args) => ledger.submit(who, contract, tx, ...args);
    super(async (who, contract, tx, ...args) => (await reads.read(who, contract, tx, ...args)).value, write);
    this.onPeer = new Contracts(
      async (who, contract, tx, ...args) => (await reads.ledger(who, contract, tx, ...args)).value,
      write,
    );
  }
}
