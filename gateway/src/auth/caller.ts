import { Role } from '@drugtrace/chaincode/domain';

/** The authenticated party behind an API key: one Fabric identity. */
export interface Caller {
  org: string;
  mspId: string;
  role: Role;
  gln: string;
  user: string;
}

/** Identities the gateway itself uses: the anonymous public resolver and the block listener. */
export type ServiceIdentity = 'resolver' | 'listener';
export type Who = Caller | ServiceIdentity;
