/**
 * Which organisations' peers endorse a write, when the gateway can tell without asking the peers.
 *
 * Every custody key carries a key-level policy naming its holder and the regulator
 * (chaincode/src/ledger/endorsement.ts), and the chaincode's own policy is any two organisations. A
 * transaction the holder itself submits on goods it holds (a dispense, a shipment it sends, a case it packs)
 * therefore needs exactly the holder's and the regulator's peers: named up front, the peer gateway asks both
 * at once. Left to itself it first endorses on the caller's peer, reads the key-level policies from that
 * result, asks discovery for a plan, and only then asks the regulator: two endorsements one after the other.
 *
 * The plan is a hint, never a security decision: the validating peers check every key's policy, and a
 * transaction whose keys need another organisation (goods still sealed in a case another organisation
 * packed) is invalidated (ENDORSEMENT_POLICY_FAILURE), changes nothing, and is endorsed again under the
 * peers' own plan (LedgerClient.submit). Transactions whose other party the gateway does not know (a receipt
 * needs the sender too) keep the peers' plan.
 */
const HOLDER_AND_REGULATOR: ReadonlySet<string> = new Set([
  'units:Dispense',
  'units:DispenseMany',
  'units:UndoDispense',
  'units:SetState',
  'shipments:Create',
  'containers:Pack',
  'containers:Unpack',
]);

/** The MSP IDs whose peers endorse `contract:tx` submitted by `callerMsp`, or undefined for the peers' own plan. */
export function endorsingOrganizations(
  contract: string,
  tx: string,
  callerMsp: string,
  regulatorMsp: string,
): string[] | undefined {
  if (!HOLDER_AND_REGULATOR.has(`${contract}:${tx}`) || callerMsp === regulatorMsp) return undefined;
  return [callerMsp, regulatorMsp];
}
