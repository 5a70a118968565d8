import { ApiProperty } from '@nestjs/swagger';
import { Role } from '@drugtrace/chaincode/domain';

/** Who an API key signs as: the pages show the person and their branch after sign-in. */
export class MeResponse {
  @ApiProperty({ example: 'pharmacy', description: 'organisation name in network.yaml' })
  org!: string;

  @ApiProperty({ example: 'PharmacyMSP' })
  mspId!: string;

  @ApiProperty({ example: 'PHARMACY', enum: ['MANUFACTURER', 'DISTRIBUTOR', 'PHARMACY', 'REGULATOR'] })
  role!: Role;

  @ApiProperty({ example: '9506000030005', description: 'the location (GLN) the identity acts at' })
  gln!: string;

  @ApiProperty({
    example: 'alice',
    description: 'the person: their enrolment ID, named by every act on the ledger',
  })
  user!: string;

  @ApiProperty({ description: 'may manage the organisation’s users (/v1/admin/users)' })
  admin!: boolean;
}
