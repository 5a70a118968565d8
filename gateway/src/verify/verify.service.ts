import { Injectable } from '@nestjs/common';
import { parseCode, ReasonCode } from '@drugtrace/chaincode/domain';
import { Caller, Who } from '../auth/caller';
import { LedgerClient } from '../fabric/ledger-client';
import { AlertQueue } from './alert-queue';
import { CloneDetector } from './clone-detector';

export interface VerifyResponse {
  verdict: 'GENUINE' | 'SUSPECT' | 'COUNTERFEIT';
  reasons: ReasonCode[];
  code: { gtin: string; lot?: string; expiry?: string; serial: string };
  product?: Record<string, unknown>;
  batch?: Record<string, unknown>;
  unit?: { state: string; custodian: { msp: string; gln: string }; inTransit: boolean };
}

@Injectable()
export class VerifyService {
  constructor(
    private readonly ledger: LedgerClient,
    private readonly alerts: AlertQueue,
    private readonly clones: CloneDetector,
  ) {}

  /** The ledger's verdict; a malformed code throws the parser's error (400) before any ledger call. */
  async verify(who: Who, raw: string): Promise<VerifyResponse> {
    const parsed = parseCode(raw);
    const gln = typeof who === 'string' ? '' : who.gln;
    const result = await this.ledger.evaluate<VerifyResponse>(who, 'verification', 'Verify', raw, gln);
    if (typeof who !== 'string') this.#follow(who, raw, result, parsed.gtin ?? '', parsed.serial ?? '');
    return result;
  }

  /** Alerts for what an authenticated scan revealed, recorded on the ledger behind the answer. */
  #follow(caller: Caller, raw: string, result: VerifyResponse, gtin: string, serial: string): void {
    if (result.verdict !== 'GENUINE') {
      this.alerts.push(() => this.ledger.submit(caller, 'verification', 'RecordScan', raw, caller.gln));
    }
    if (result.unit && this.clones.observe(gtin, serial, `${caller.mspId}/${caller.gln}`)) {
      this.alerts.push(() => this.ledger.submit(caller, 'audit', 'RaiseAlert', gtin, serial, JSON.stringify(['CLONE_SUSPECTED']), caller.gln));
    }
  }
}
