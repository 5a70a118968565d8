import { Product, ProductRequest } from '@drugtrace/chaincode/api';
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsGtin } from '../common/gs1.validators';

export class RegisterProductDto implements ProductRequest {
  @ApiProperty({ example: '09506000134352', description: 'GTIN-14 with its check digit' })
  @IsGtin()
  gtin!: string;

  @ApiProperty({ example: 'Amoxicillin 500 mg capsules' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'amoxicillin' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  genericName!: string;

  @ApiProperty({ example: '500 mg' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  strength!: string;

  @ApiProperty({ example: 'capsule' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  dosageForm!: string;

  @ApiProperty({ example: 'H20190001' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  marketingAuthorization!: string;
}

export class ProductResponse implements Product {
  @ApiProperty({ example: '09506000134352' }) gtin!: string;
  @ApiProperty({ example: 'Amoxicillin 500 mg capsules' }) name!: string;
  @ApiProperty({ example: 'amoxicillin' }) genericName!: string;
  @ApiProperty({ example: '500 mg' }) strength!: string;
  @ApiProperty({ example: 'capsule' }) dosageForm!: string;
  @ApiProperty({ example: 'H20190001' }) marketingAuthorization!: string;
  @ApiProperty({ example: 'ManufacturerMSP', description: 'owning manufacturer (MSP ID)' })
  manufacturer!: string;
  @ApiProperty({ example: '2026-11-01T09:00:00.000Z' }) registeredAt!: string;
}
