import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MAX_PRESCRIPTION_PACKS } from '@drugtrace/chaincode/api';
import { Caller } from '../auth/caller';
import { Allowed, CurrentCaller } from '../auth/decorators';
import { DispenseUnitsDto, DispenseUnitsResponse } from './unit.dto';
import { UnitsService } from './units.service';

/** A prescription: several packs dispensed in one transaction. */
@ApiTags('units')
@ApiBearerAuth()
@Controller('v1/units')
export class PrescriptionsController {
  constructor(private readonly units: UnitsService) {}

  @Post('dispense')
  @HttpCode(200)
  @Allowed('dispense')
  @ApiOperation({
    summary: `Dispense up to ${MAX_PRESCRIPTION_PACKS} packs held at the caller's location, all or none`,
    description:
      'One transaction: every pack is dispensed, or none is and the answer is 409 naming the pack that ' +
      `blocked it (already dispensed, not held here, recalled, expired, never commissioned). More than ` +
      `${MAX_PRESCRIPTION_PACKS} packs, none, or a pack listed twice: 400.`,
  })
  @ApiOkResponse({ type: DispenseUnitsResponse })
  dispense(@CurrentCaller() caller: Caller, @Body() body: DispenseUnitsDto): Promise<DispenseUnitsResponse> {
    return this.units.dispenseMany(caller, body);
  }
}
