import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export class RegisterProductDto {
  @ApiProperty({ example: '09506000134352', description: 'GTIN-14 with its check digit' })
  @Matches(/^\d{14}$/, { message: 'gtin must be 14 digits' })
  gtin!: string;

  @ApiProperty({ example: 'Amoxicillin 500 mg capsules' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'amoxicillin' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  genericName!: string;

  @ApiProperty({ example: '500 mg' })
  @IsString() @IsNotEmpty() @MaxLength(100)
  strength!: string;

  @ApiProperty({ example: 'capsule' })
  @IsString() @IsNotEmpty() @MaxLength(100)
  dosageForm!: string;

  @ApiProperty({ example: 'H20190001' })
  @IsString() @IsNotEmpty() @MaxLength(100)
  marketingAuthorization!: string;
}

export class ProductResponse extends RegisterProductDto {
  @ApiProperty({ example: 'ManufacturerMSP' }) manufacturer!: string;
  @ApiProperty() registeredAt!: string;
}
