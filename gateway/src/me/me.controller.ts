import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/decorators';
import { MeResponse } from './me.dto';

@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  /** The person behind the caller's API key; no ledger call. */
  @Get()
  @ApiOkResponse({ type: MeResponse })
  get(@CurrentCaller() caller: Caller): MeResponse {
    const { org, mspId, role, gln, user, admin } = caller;
    return { org, mspId, role, gln, user, admin };
  }
}
