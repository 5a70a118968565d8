import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';
import { MeResponse } from './me.dto';

@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  /** The identity behind the caller's API key; no ledger call. */
  @Get()
  @ApiOkResponse({ type: MeResponse })
  get(@CurrentCaller() caller: Caller): MeResponse {
    return { org: caller.org, mspId: caller.mspId, role: caller.role, gln: caller.gln };
  }
}
