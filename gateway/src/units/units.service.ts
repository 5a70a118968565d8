import { Injectable } from '@nestjs/common';
import { Caller } from '../auth/caller';
import { BlockLocator } from '../events/block-locator';
import { Ledger } from '../fabric/ledger';
import { DispenseUnitsDto, DispenseUnitsResponse, HistoryResponse, UnitResponse } from './unit.dto';

/** One pack: its state, its custody chain with block numbers, and decommissioning. */
@Injectable()
export class UnitsService {
  constructor(
    private readonly ledger: Ledger,
    private readonly blocks: BlockLocator,
  ) {}

  get(caller: Caller, gtin: string, serial: string): Promise<UnitResponse> {
    return this.ledger.units.get(caller, gtin, serial);
  }

  async history(caller: Caller, gtin: string, serial: string): Promise<HistoryResponse> {
    const { events } = await this.ledger.units.history(caller, gtin, serial);
    const blockNumbers = await Promise.all(events.map((e) => this.blocks.blockNumberOf(e.txId)));
    return { events: events.map((e, i) => ({ ...e, blockNumber: blockNumbers[i] })) };
  }

  dispense(caller: Caller, gtin: string, serial: string): Promise<UnitResponse> {
    return this.ledger.units.dispense(caller, gtin, serial);
  }

  /** A prescription in one transaction: every pack dispensed, or none (409 naming the pack that blocked it). */
  dispenseMany(caller: Caller, request: DispenseUnitsDto): Promise<DispenseUnitsResponse> {
    return this.ledger.units.dispenseMany(caller, request);
  }

  undoDispense(caller: Caller, gtin: string, serial: string): Promise<UnitResponse> {
    return this.ledger.units.undoDispense(caller, gtin, serial);
  }

  setState(
    caller: Caller,
    gtin: string,
    serial: string,
    state: string,
    reason: string,
  ): Promise<UnitResponse> {
    return this.ledger.units.setState(caller, gtin, serial, state, reason);
  }
}
