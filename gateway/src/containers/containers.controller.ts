import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';
import { SsccPipe } from '../common/gs1-params';
import { ContainerResponse, PackDto } from './container.dto';
import { ContainersService } from './containers.service';

/** Custodians only (checked by the chaincode): everything packed must be held by the caller. */
@ApiTags('containers')
@ApiBearerAuth()
@Controller('v1/containers')
export class ContainersController {
  constructor(private readonly containers: ContainersService) {}

  @Post()
  @ApiCreatedResponse({ type: ContainerResponse })
  pack(@CurrentCaller() caller: Caller, @Body() body: PackDto): Promise<ContainerResponse> {
    return this.containers.pack(caller, body);
  }

  @Get(':sscc')
  @ApiOkResponse({ type: ContainerResponse })
  get(@CurrentCaller() caller: Caller, @Param('sscc', SsccPipe) sscc: string): Promise<ContainerResponse> {
    return this.containers.get(caller, sscc);
  }

  @Delete(':sscc')
  @ApiOkResponse({ type: ContainerResponse })
  unpack(@CurrentCaller() caller: Caller, @Param('sscc', SsccPipe) sscc: string): Promise<ContainerResponse> {
    return this.containers.unpack(caller, sscc);
  }
}
