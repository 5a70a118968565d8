import { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { KEY } from './keys';
import { Org } from './models';
import { Store } from './store';

/** The registry's regulators, read once per transaction (a commissioning sets thousands of policies). */
const regulatorsOf = new WeakMap<Context, Promise<string[]>>();

async function readRegulators(store: Store): Promise<string[]> {
  const msps: string[] = [];
  for await (const { value } of store.entries<Org>(KEY.org, []))
    if (value.role === 'REGULATOR') msps.push(value.mspId);
  return msps;
}

/**
 * Serialised key-level policies by their organisations (sorted): a policy is a pure function of them, and
 * building one is protobuf work that a commissioning or a shipment of a thousand packs would otherwise repeat
 * per key (a quarter of the chaincode's CPU). Bounded: only a few combinations of organisations ever occur.
 */
const policies = new Map<string, Uint8Array>();
const MAX_CACHED_POLICIES = 1000;

function policyOf(orgs: string[]): Uint8Array {
  const id = orgs.join('\n');
  let bytes = policies.get(id);
  if (!bytes) {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', ...orgs);
    bytes = policy.getPolicy();
    if (policies.size >= MAX_CACHED_POLICIES) policies.clear();
    policies.set(id, bytes);
  }
  return bytes;
}

/**
 * State-based endorsement: the organisations that hold a key's goods (sender and receiver while in
 * transit) and the regulator must all endorse its next change. A key-level policy replaces the chaincode's
 * "any two" for that key, so the holder alone must never suffice: no single organisation can forge custody
 * (a pharmacy reviving a dispensed pack, a packer rewriting what a pharmacy now holds).
 */
export async function setCustodyPolicy(
  ctx: Context,
  store: Store,
  key: string,
  msps: string[],
): Promise<void> {
  let regulators = regulatorsOf.get(ctx);
  if (!regulators) {
    regulators = readRegulators(store);
    regulatorsOf.set(ctx, regulators);
  }
  await ctx.stub.setStateValidationParameter(
    key,
    policyOf([...new Set([...msps, ...(await regulators)])].sort()),
  );
}
