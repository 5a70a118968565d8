import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches, ValidateNested } from 'class-validator';
import { DomainError } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';
import { SsccPipe } from '../common/gs1-params';
import { ContentRefDto } from '../common/item.dto';
import { LedgerClient } from '../fabric/ledger-client';

export class PackDto {
  @ApiProperty({ example: '106141410000000019' })
  @Matches(/^\d{18}$/, { message: 'sscc must be 18 digits' })
  sscc!: string;

  @ApiProperty({ type: [ContentRefDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => ContentRefDto)
  contents!: ContentRefDto[];
}

@ApiTags('containers')
@ApiBearerAuth()
@Controller('v1/containers')
export class ContainersController {
  constructor(private readonly ledger: LedgerClient) {}

  @Post()
  async pack(@CurrentCaller() caller: Caller, @Body() body: PackDto): Promise<unknown> {
    for (const item of body.contents) {
      const isUnit = item.gtin !== undefined && item.serial !== undefined && item.sscc === undefined;
      const isContainer = item.sscc !== undefined && item.gtin === undefined && item.serial === undefined;
      if (!isUnit && !isContainer) throw new DomainError('INVALID', 'each content is either {gtin, serial} or {sscc}');
    }
    return (await this.ledger.submit(caller, 'containers', 'Pack', JSON.stringify(body))).result;
  }

  @Get(':sscc')
  async get(@CurrentCaller() caller: Caller, @Param('sscc', SsccPipe) sscc: string): Promise<unknown> {
    return this.ledger.evaluate(caller, 'containers', 'Get', sscc);
  }

  @Delete(':sscc')
  async unpack(@CurrentCaller() caller: Caller, @Param('sscc', SsccPipe) sscc: string): Promise<unknown> {
    return (await this.ledger.submit(caller, 'containers', 'Unpack', sscc)).result;
  }
}
