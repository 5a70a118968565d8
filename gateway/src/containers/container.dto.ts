import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { IsSscc } from '../common/gs1.validators';
import { ContentRefDto, PartyResponse } from '../common/item.dto';

export const MAX_CONTENTS = 1000;

export class PackDto {
  @ApiProperty({ example: '106141410000000019' })
  @IsSscc()
  sscc!: string;

  @ApiProperty({ type: [ContentRefDto], description: 'each item is {gtin, serial} or {sscc}' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_CONTENTS)
  @ValidateNested({ each: true })
  @Type(() => ContentRefDto)
  contents!: ContentRefDto[];
}

export class ContentResponse {
  @ApiPropertyOptional() gtin?: string;
  @ApiPropertyOptional() serial?: string;
  @ApiPropertyOptional() sscc?: string;
}

export class ContainerResponse {
  @ApiProperty({ example: '106141410000000019' }) sscc!: string;
  @ApiProperty({ type: PartyResponse }) custodian!: PartyResponse;
  @ApiProperty() packed!: boolean;
  @ApiPropertyOptional() parent?: string;
  @ApiPropertyOptional() shipmentId?: string;
  @ApiPropertyOptional() inTransit?: boolean;
  @ApiPropertyOptional({ type: [ContentResponse], description: 'what is directly inside (GET only)' })
  contents?: ContentResponse[];
}
