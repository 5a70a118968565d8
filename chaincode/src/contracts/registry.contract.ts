import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ContractOf, OrgRequest, RegistryApi } from '../api';
import {
  assertCompanyPrefix,
  assertDistinctPrefixes,
  assertGln,
  DomainError,
  LedgerEvent,
  refuse,
  roleRefusal,
  ROLES,
} from '../domain';
import { ROLE_ATTR } from '../ledger/caller';
import { emit } from '../ledger/events';
import { KEY } from '../ledger/keys';
import { Org } from '../ledger/models';
import { Store } from '../ledger/store';
import { listOrgs } from '../ledger/records';
import { parseJson, requireText, session } from '../ledger/session';

function validOrg(input: OrgRequest, admittedAt: string, admittedBy: string): Org {
  requireText(input.mspId, 'mspId', 64);
  if (!ROLES.includes(input.role))
    throw new DomainError('INVALID', `role must be one of ${ROLES.join(', ')}`);
  if (!Array.isArray(input.glns) || input.glns.length === 0)
    throw new DomainError('INVALID', 'glns must list at least one GLN');
  input.glns.forEach(assertGln);
  const prefixes = input.companyPrefixes;
  if (prefixes !== undefined && !Array.isArray(prefixes))
    throw new DomainError('INVALID', 'companyPrefixes must be an array of GS1 company prefixes');
  prefixes?.forEach(assertCompanyPrefix);
  return {
    mspId: input.mspId,
    role: input.role,
    glns: [...input.glns],
    ...(prefixes?.length ? { companyPrefixes: [...prefixes] } : {}),
    name: requireText(input.name, 'name'),
    admittedAt,
    admittedBy,
  };
}

@Info({
  title: 'Organisation registry',
  description: 'Who is admitted, with which role and locations (GLNs)',
})
export class RegistryContract extends Contract implements ContractOf<RegistryApi, Context> {
  constructor() {
    super('registry');
  }

  /** Bootstraps an empty registry once, by the regulator named in the seed. */
  @Transaction()
  @Returns('Org[]')
  async Seed(ctx: Context, orgsJson: string): Promise<Org[]> {
    const store = new Store(ctx);
    const msp = ctx.clientIdentity.getMSPID();
    if (ctx.clientIdentity.getAttributeValue(ROLE_ATTR) !== 'REGULATOR') {
      throw new DomainError('FORBIDDEN', 'only a regulator identity may seed the registry');
    }
    if (await store.any(KEY.org, [])) throw new DomainError('CONFLICT', 'the registry is already seeded');
    let inputs: OrgRequest[];
    try {
      inputs = JSON.parse(orgsJson) as OrgRequest[];
    } catch {
      throw new DomainError('INVALID', 'orgs must be a JSON array');
    }
    if (!Array.isArray(inputs) || inputs.length === 0)
      throw new DomainError('INVALID', 'orgs must be a non-empty array');
    const now = store.now();
    const orgs = inputs.map((i) => validOrg(i, now, msp));
    assertDistinctPrefixes(orgs);
    if (!orgs.some((o) => o.mspId === msp && o.role === 'REGULATOR')) {
      throw new DomainError('FORBIDDEN', `${msp} must itself be listed as REGULATOR in the seed`);
    }
    for (const org of orgs) await store.put(KEY.org, [org.mspId], org);
    emit(ctx, {
      type: 'ORG_ADMITTED',
      at: now,
      org: msp,
      gln: '',
      txId: store.txId(),
      serialCount: orgs.length,
    });
    return orgs;
  }

  @Transaction()
  @Returns('Org')
  async Admit(ctx: Context, orgJson: string): Promise<Org> {
    const { store, caller } = await session(ctx);
    refuse(roleRefusal(caller, 'admitOrganisation'));
    const org = validOrg(parseJson<OrgRequest>(orgJson, 'org'), store.now(), caller.msp);
    const others = (await listOrgs(store)).filter((o) => o.mspId !== org.mspId);
    assertDistinctPrefixes([...others, org]);
    await store.put(KEY.org, [org.mspId], org);
    const event: LedgerEvent = {
      type: 'ORG_ADMITTED',
      at: org.admittedAt,
      org: caller.msp,
      gln: caller.gln,
      txId: store.txId(),
    };
    emit(ctx, event);
    return org;
  }

  @Transaction(false)
  @Returns('Org')
  async Get(ctx: Context, mspId: string): Promise<Org> {
    const { store } = await session(ctx);
    return store.get<Org>(KEY.org, [mspId], `organisation ${mspId}`);
  }

  @Transaction(false)
  @Returns('Org[]')
  async List(ctx: Context): Promise<Org[]> {
    const { store } = await session(ctx);
    return listOrgs(store);
  }
}
