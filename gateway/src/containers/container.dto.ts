import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { Container, ItemRef, MAX_GOODS_PER_MOVE, PackRequest } from '@drugtrace/chaincode/api';
import { IsSscc } from '../common/gs1.validators';
import { ChangeResponse, ContentRefDto, PartyResponse } from '../common/item.dto';

export class PackDto implements PackRequest {
  @ApiProperty({ example: '106141410000000019' })
  @IsSscc()
  sscc!: string;

  @ApiProperty({ type: [ContentRefDto], description: 'each item is {gtin, serial} or {sscc}' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_GOODS_PER_MOVE)
  @ValidateNested({ each: true })
  @Type(() => ContentRefDto)
  contents!: ContentRefDto[];
}

export class ContentResponse implements ItemRef {
  @ApiPropertyOptional() gtin?: string;
  @ApiPropertyOptional() serial?: string;
  @ApiPropertyOptional() sscc?: string;
}

/** A container: as packed (with the listed contents), unpacked, or read (with custody and contents). */
export class ContainerResponse implements Container {
  @ApiProperty({ example: '106141410000000019' }) sscc!: string;
  @ApiProperty({ type: PartyResponse }) custodian!: PartyResponse;
  @ApiProperty() packed!: boolean;
  @ApiPropertyOptional() parent?: string;
  @ApiPropertyOptional() shipmentId?: string;
  @ApiPropertyOptional({ example: 2, description: 'container levels from here down (1 for a case of packs)' })
  levels?: number;
  @ApiPropertyOptional({
    example: 'ManufacturerMSP',
    description: 'whose SSCC it is: only it packs it again',
  })
  owner?: string;
  @ApiProperty({ type: ChangeResponse }) last!: ChangeResponse;
  @ApiPropertyOptional() inTransit?: boolean;
  @ApiPropertyOptional({ type: [ContentResponse], description: 'what is directly inside (GET and pack)' })
  contents?: ContentResponse[];
}
