import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/**
 * An API key's optional lifetime in days, 1..3650 (no expiry if absent): on a new user and on a new key.
 * applyDecorators applies its list first to last, so the list is in the order TypeScript applied the stacked
 * decorators (bottom up): the validation metadata, and so the order of a 400's messages, stay as they were.
 */
const ExpiresInDays = (): PropertyDecorator =>
  applyDecorators(
    Max(3650),
    Min(1),
    IsInt(),
    IsOptional(),
    ApiPropertyOptional({
      example: 90,
      description: 'the key expires after this many days (no expiry if absent)',
    }),
  );

export class AddUserRequest {
  @ApiProperty({
    example: 'alice',
    description: 'enrolment ID at the organisation’s CA, recorded on the ledger',
  })
  @IsString()
  name!: string;

  @ApiProperty({
    example: '9506000030005',
    description: 'one of the organisation’s GLNs: where the person works',
  })
  @Matches(/^\d{13}$/, { message: 'gln must be 13 digits' })
  gln!: string;

  @ApiPropertyOptional({ description: 'may manage the organisation’s users', default: false })
  @IsOptional()
  @IsBoolean()
  admin?: boolean;

  @ExpiresInDays()
  expiresInDays?: number;
}

export class IssueKeyRequest {
  @ExpiresInDays()
  expiresInDays?: number;
}

export class IssuedUserResponse {
  @ApiProperty({ example: 'pharmacy' }) org!: string;
  @ApiProperty({ example: 'alice' }) user!: string;
  @ApiProperty({ example: '9506000030005' }) gln!: string;
  @ApiProperty({ description: 'shown this once; only its hash is kept' }) apiKey!: string;
  @ApiProperty({ example: '3f9a1c0b7d2e4a61', description: 'the key’s public id (its second part)' })
  keyId!: string;
  @ApiPropertyOptional() expiresAt?: string;
}

export class IssuedKeyResponse {
  @ApiProperty({ description: 'shown this once; only its hash is kept' }) apiKey!: string;
  @ApiProperty({ example: '3f9a1c0b7d2e4a61' }) keyId!: string;
  @ApiPropertyOptional() expiresAt?: string;
}

export class KeyView {
  @ApiProperty({ example: '3f9a1c0b7d2e4a61' }) id!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() expiresAt?: string;
  @ApiPropertyOptional() revokedAt?: string;
}

export class UserView {
  @ApiProperty({ example: 'pharmacy' }) org!: string;
  @ApiProperty({ example: 'alice' }) name!: string;
  @ApiProperty({ example: '9506000030005' }) gln!: string;
  @ApiProperty({ example: 'PHARMACY' }) role!: string;
  @ApiProperty() admin!: boolean;
  @ApiProperty({ enum: ['ACTIVE', 'REVOKED'] }) status!: string;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() revokedAt?: string;
  @ApiPropertyOptional({ description: 'when the peers started refusing the certificate' })
  ledgerRevokedAt?: string;
  @ApiProperty({ type: [KeyView] }) keys!: KeyView[];
}
