import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '../auth/caller';
import { CurrentCaller, Roles } from '../auth/decorators';
import { GtinPipe, SerialPipe } from '../common/gs1-params';
import { BlockLocator } from '../fabric/block-locator';
import { LedgerClient } from '../fabric/ledger-client';
import { HistoryEventResponse, HistoryResponse, SetUnitStateDto } from './unit.dto';

@ApiTags('units')
@ApiBearerAuth()
@Controller('v1/units/:gtin/:serial')
export class UnitsController {
  constructor(
    private readonly ledger: LedgerClient,
    private readonly blocks: BlockLocator,
  ) {}

  @Get()
  async get(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string, @Param('serial', SerialPipe) serial: string): Promise<unknown> {
    return this.ledger.evaluate(caller, 'units', 'Get', gtin, serial);
  }

  @Get('history')
  @ApiOkResponse({ type: HistoryResponse })
  async history(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string, @Param('serial', SerialPipe) serial: string): Promise<HistoryResponse> {
    const { events } = await this.ledger.evaluate<{ events: Omit<HistoryEventResponse, 'blockNumber'>[] }>(caller, 'units', 'History', gtin, serial);
    const numbers = await Promise.all(events.map((e) => this.blocks.blockNumberOf(e.txId)));
    return { events: events.map((e, i) => ({ ...e, blockNumber: numbers[i] ?? null })) };
  }

  @Post('dispense')
  @HttpCode(200)
  @Roles('PHARMACY')
  async dispense(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string, @Param('serial', SerialPipe) serial: string): Promise<unknown> {
    return (await this.ledger.submit(caller, 'units', 'Dispense', gtin, serial)).result;
  }

  @Post('undo-dispense')
  @HttpCode(200)
  @Roles('PHARMACY')
  async undo(@CurrentCaller() caller: Caller, @Param('gtin', GtinPipe) gtin: string, @Param('serial', SerialPipe) serial: string): Promise<unknown> {
    return (await this.ledger.submit(caller, 'units', 'UndoDispense', gtin, serial)).result;
  }

  @Post('status')
  @HttpCode(200)
  async status(
    @CurrentCaller() caller: Caller,
    @Param('gtin', GtinPipe) gtin: string,
    @Param('serial', SerialPipe) serial: string,
    @Body() body: SetUnitStateDto,
  ): Promise<unknown> {
    return (await this.ledger.submit(caller, 'units', 'SetState', gtin, serial, body.state, body.reason)).result;
  }
}
