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
import { LedgerClient } from './ledger-client';

/**
 * One contract's transactions as typed methods over the Fabric port: `units.dispense(caller, gtin, serial)`
 * endorses and commits `units:Dispense`, a read evaluates. Names, argument tuples and result types come from
 * the chaincode's contract API, so a renamed transaction, argument or result field fails to compile here.
 */
function client<A extends ContractApi<A>>(ledger: LedgerClient, spec: ContractSpec<A>): ClientOf<A, Who> {
  const privately = new Set(Object.keys(spec.privately ?? {}));
  const methods = Object.entries<boolean>(spec.writes).map(([tx, writes]) => {
    const call = (who: Who, ...args: unknown[]): Promise<unknown> => {
      if (!privately.has(tx))
        return (writes ? ledger.submit : ledger.evaluate).call(
          ledger,
          who,
          spec.name,
          tx,
          ...args.map(toWireArg),
        );
      // A private write: its first argument is the transient data and who may endorse (see it).
      const [{ transient, endorsers }, ...rest] = args as [Privately<Record<string, unknown>>, ...unknown[]];
      const transientData = Object.fromEntries(Object.entries(transient).map(([k, v]) => [k, toWireArg(v)]));
      return ledger.submitWith(
        who,
        spec.name,
        tx,
        { transientData, endorsingOrganizations: endorsers },
        ...rest.map(toWireArg),
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

/** The chaincode's contracts, typed (in the style of fabric-samples' trader-typescript contract wrapper). */
@Injectable()
export class Ledger {
  readonly registry: ClientOf<RegistryApi, Who>;
  readonly products: ClientOf<ProductsApi, Who>;
  readonly batches: ClientOf<BatchesApi, Who>;
  readonly units: ClientOf<UnitsApi, Who>;
  readonly containers: ClientOf<ContainersApi, Who>;
  readonly shipments: ClientOf<ShipmentsApi, Who>;
  readonly verification: ClientOf<VerificationApi, Who>;
  readonly audit: ClientOf<AuditApi, Who>;
  /** Writes whose transaction ID must be known before they are sent (the scan record a receipt names). */
  readonly prepared: { verification: PreparedOf<VerificationApi> };

  constructor(private readonly ledger: LedgerClient) {
    this.registry = client(ledger, REGISTRY);
    this.products = client(ledger, PRODUCTS);
    this.batches = client(ledger, BATCHES);
    this.units = client(ledger, UNITS);
    this.containers = client(ledger, CONTAINERS);
    this.shipments = client(ledger, SHIPMENTS);
    this.verification = client(ledger, VERIFICATION);
    this.audit = client(ledger, AUDIT);
    this.prepared = { verification: prepared(ledger, VERIFICATION) };
  }

  /** The height of the caller's peer as far as the gateway knows it (see LedgerClient.knownHeight). */
  knownHeight(who: Who): Promise<bigint> {
    return this.ledger.knownHeight(who);
  }
}
