import { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';

/**
 * State-based endorsement: the organisations that hold a key's goods must endorse its next change, so
 * no other organisation can forge custody (both sender and receiver while goods are in transit).
 */
export async function setCustodyPolicy(ctx: Context, key: string, msps: string[]): Promise<void> {
  const policy = new KeyEndorsementPolicy();
  policy.addOrgs('PEER', ...[...new Set(msps)].sort());
  await ctx.stub.setStateValidationParameter(key, policy.getPolicy());
}
