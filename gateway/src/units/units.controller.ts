import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { Allowed, CurrentCaller } from '../auth/decorators';
import { GtinPipe, SerialPipe } from '../common/gs1-params';
import { HistoryResponse, SetUnitStateDto, UnitResponse } from './unit.dto';
import { UnitsService } from './units.service';

@ApiTags('units')
@ApiBearerAuth()
@Controller('v1/units/:gtin/:serial')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @ApiOkResponse({ type: UnitResponse })
  get(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('serial', SerialPipe) serial: string,
  ): Promise<UnitResponse> {
    return this.units.get(caller, gtin, serial);
  }

  @Get('history')
  @ApiOkResponse({ type: HistoryResponse })
  history(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('serial', SerialPipe) serial: string,
  ): Promise<HistoryResponse> {
    return this.units.history(caller, gtin, serial);
  }

  @Post('dispense')
  @HttpCode(200)
  @Allowed('dispense')
  @ApiOkResponse({ type: UnitResponse })
  dispense(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('serial', SerialPipe) serial: string,
  ): Promise<UnitResponse> {
    return this.units.dispense(caller, gtin, serial);
  }

  @Post('undo-dispense')
  @HttpCode(200)
  @Allowed('dispense')
  @ApiOkResponse({ type: UnitResponse })
  undoDispense(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('serial', SerialPipe) serial: string,
  ): Promise<UnitResponse> {
    return this.units.undoDispense(caller, gtin, serial);
  }

  /** Custodian only (checked by the chaincode): destroyed, stolen, sample, exported, or back to active. */
  @Post('status')
  @HttpCode(200)
  @ApiOkResponse({ type: UnitResponse })
  setState(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('serial', SerialPipe) serial: string,
    @Body() body: SetUnitStateDto,
  ): Promise<UnitResponse> {
    return this.units.setState(caller, gtin, serial, body.state, body.reason);
  }
}
