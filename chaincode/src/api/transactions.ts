// How a contract's transactions are declared once and read by both sides: the chaincode implements them
// (ContractOf), the gateway calls them through a typed facade (ClientOf).

/** A transaction: the arguments a client passes, what it answers, and whether it writes (submit) or reads. */
export interface Tx<Args extends readonly unknown[], Result, Writes extends boolean> {
  args: Args;
  result: Result;
  writes: Writes;
}
export type Read<Args extends readonly unknown[], Result> = Tx<Args, Result, false>;
export type Write<Args extends readonly unknown[], Result> = Tx<Args, Result, true>;

// `any` only where a type parameter is matched structurally.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTx = Tx<readonly any[], unknown, boolean>;

/** A contract's API: transaction name (as Fabric knows it) to its declaration. */
export type ContractApi<A> = { [K in keyof A]: AnyTx };

/** The runtime half of a contract's API: its name on the channel and which of its transactions write. */
export interface ContractSpec<A extends ContractApi<A>> {
  name: string;
  writes: { [K in keyof A]: A[K]['writes'] };
}

/**
 * On the wire every argument is a string: a text or number as such, an object as JSON. The chaincode
 * receives strings and validates them; the types of the objects are the client's side of the contract.
 */
export type WireArgs<Args extends readonly unknown[]> = { [I in keyof Args]: string };

/** What a contract class implements: each transaction takes the context and the wire arguments. */
export type ContractOf<A extends ContractApi<A>, Ctx> = {
  [K in keyof A]: (ctx: Ctx, ...args: WireArgs<A[K]['args']>) => Promise<A[K]['result']>;
};

/** What a client calls: `units.dispense(caller, gtin, serial)`, as `who` (whose identity signs). */
export type ClientOf<A extends ContractApi<A>, Who> = {
  [K in keyof A & string as Uncapitalize<K>]: (who: Who, ...args: A[K]['args']) => Promise<A[K]['result']>;
};

/** An argument as sent: strings as they are, anything else as JSON. */
export function toWireArg(arg: unknown): string {
  return typeof arg === 'string' ? arg : JSON.stringify(arg);
}
