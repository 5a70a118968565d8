import { Context } from 'fabric-contract-api';
import { DomainError, Role } from '../domain';
import { KEY } from './keys';
import { Org } from './models';
import { Store } from './store';

export interface Caller {
  msp: string;
  role: Role;
  gln: string;
  org: Org;
}

export const ROLE_ATTR = 'drugtrace.role';
export const GLN_ATTR = 'drugtrace.gln';

/**
 * The caller's role comes from its organisation's registry entry; its certificate must carry the same
 * role and a GLN (its location) of the organisation. A certificate without them (an org admin, any other
 * client its CA enrols) acts for nobody.
 */
export async function resolveCaller(ctx: Context, store: Store): Promise<Caller> {
  const msp = ctx.clientIdentity.getMSPID();
  const org = await store.find<Org>(KEY.org, [msp]);
  if (!org) throw new DomainError('FORBIDDEN', `organisation ${msp} is not admitted to DrugTrace`);
  const attrRole = ctx.clientIdentity.getAttributeValue(ROLE_ATTR);
  if (attrRole !== org.role) {
    throw new DomainError(
      'FORBIDDEN',
      `certificate role ${attrRole ?? '(none)'} does not match ${msp}'s role ${org.role}`,
    );
  }
  const gln = ctx.clientIdentity.getAttributeValue(GLN_ATTR);
  if (!gln || !org.glns.includes(gln))
    throw new DomainError('FORBIDDEN', `GLN ${gln ?? '(none)'} is not a location of ${msp}`);
  return { msp, role: org.role, gln, org };
}
