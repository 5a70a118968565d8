import { Role } from '@drugtrace/chaincode/domain';

/** The authenticated party behind an API key: one person, enrolled with their organisation's Fabric CA. */
export interface Caller {
  org: string;
  mspId: string;
  role: Role;
  gln: string;
  /** The enrolment ID: the name the ledger records for every act. */
  user: string;
  /** May manage the organisation's users (/v1/admin/users). */
  admin: boolean;
  /** The signing identity every call of this caller is signed with. */
  certPath: string;
  keyPath: string;
}

/** Identities the gateway itself uses: the anonymous public resolver and the block listener. */
export type ServiceIdentity = 'resolver' | 'listener';
export type Who = Caller | ServiceIdentity;
