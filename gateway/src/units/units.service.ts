import { Injectable } from '@nestjs/common';
import { Caller } from '../auth/caller';
import { BlockLocator } from '../events/block-locator';
import { LedgerClient } from '../fabric/ledger-client';
import { ReadModel } from '../replica/read-model';
import { HistoryEventResponse, HistoryResponse, UnitResponse } from './unit.dto';

type LedgerHistoryEvent = Omit<HistoryEventResponse, 'blockNumber'>;

/** One pack: its state, its custody chain with block numbers, and decommissioning. */
@Injectable()
export class UnitsService {
  constructor(
    private readonly ledger: LedgerClient,
    private readonly reads: ReadModel,
    private readonly blocks: BlockLocator,
  ) {}

  get(caller: Caller, gtin: string, serial: string): Promise<UnitResponse> {
    return this.reads.evaluate<UnitResponse>(caller, 'units', 'Get', gtin, serial);
  }

  async history(caller: Caller, gtin: string, serial: string): Promise<HistoryResponse> {
    const { events } = await this.reads.evaluate<{ events: LedgerHistoryEvent[] }>(
      caller,
      'units',
      'History',
      gtin,
      serial,
    );
    const blockNumbers = await Promise.all(events.map((e) => this.blocks.blockNumberOf(e.txId)));
    return { events: events.map((e, i) => ({ ...e, blockNumber: blockNumbers[i] })) };
  }

  dispense(caller: Caller, gtin: string, serial: string): Promise<UnitResponse> {
    return this.ledger.submit<UnitResponse>(caller, 'units', 'Dispense', gtin, serial);
  }

  undoDispense(caller: Caller, gtin: string, serial: string): Promise<UnitResponse> {
    return this.ledger.submit<UnitResponse>(caller, 'units', 'UndoDispense', gtin, serial);
  }

  setState(
    caller: Caller,
    gtin: string,
    serial: string,
    state: string,
    reason: string,
  ): Promise<UnitResponse> {
    return this.ledger.submit<UnitResponse>(caller, 'units', 'SetState', gtin, serial, state, reason);
  }
}
