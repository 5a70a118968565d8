import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const TRANSACTION_STATUSES = ['COMMITTED', 'INVALID', 'UNKNOWN'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export class TransactionStatusResponse {
  @ApiProperty({ example: '3f9a0c1e5b7d2a4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d' })
  txId!: string;

  @ApiProperty({
    enum: TRANSACTION_STATUSES,
    description:
      'COMMITTED: in a block and valid, its effect is on the ledger. INVALID: in a block but invalidated (see ' +
      'validationCode), no effect. UNKNOWN: the caller’s peer has not committed it: still on its way, or lost with ' +
      'an orderer that died; once later blocks have committed it will not, and repeating the request is safe.',
  })
  status!: TransactionStatus;

  @ApiPropertyOptional({ example: 42, description: 'the block holding it (COMMITTED, INVALID)' })
  blockNumber?: number;

  @ApiPropertyOptional({
    example: 'VALID',
    description: "Fabric's validation code, e.g. VALID, MVCC_READ_CONFLICT (COMMITTED, INVALID)",
  })
  validationCode?: string;
}
