import { Injectable } from '@nestjs/common';
import { DomainError, parseCode } from '@drugtrace/chaincode/domain';
import { Caller, Who } from '../auth/caller';
import { LedgerClient } from '../fabric/ledger-client';
import { AlertQueue } from './alert-queue';
import { CloneDetector } from './clone-detector';
import { VerificationResponse } from './verify.dto';

/** The anti-counterfeit scan: the ledger's verdict, and the alerts a suspicious scan leaves for regulators. */
@Injectable()
export class VerifyService {
  constructor(
    private readonly ledger: LedgerClient,
    private readonly alerts: AlertQueue,
    private readonly clones: CloneDetector,
  ) {}

  /**
   * A malformed code throws the domain parser's error (400 with AI and position) before any ledger call;
   * a well-formed one always gets a verdict. Authenticated scans that are not genuine are recorded on the
   * ledger as alerts, and so is one serial turning up at several places (a cloned code).
   */
  async verify(who: Who, raw: string): Promise<VerificationResponse> {
    const { gtin, serial } = parseCode(raw);
    if (!gtin || !serial) throw new DomainError('INVALID', 'a pack code needs a GTIN (01) and a serial (21)');
    const scannerGln = typeof who === 'string' ? '' : who.gln;
    const result = await this.ledger.evaluate<VerificationResponse>(
      who,
      'verification',
      'Verify',
      raw,
      scannerGln,
    );
    if (typeof who !== 'string') this.#recordAlerts(who, raw, result, gtin, serial);
    return result;
  }

  #recordAlerts(
    caller: Caller,
    raw: string,
    result: VerificationResponse,
    gtin: string,
    serial: string,
  ): void {
    if (result.verdict !== 'GENUINE') {
      this.alerts.push(() => this.ledger.submit(caller, 'verification', 'RecordScan', raw, caller.gln));
    }
    if (result.unit && this.clones.observe(gtin, serial, `${caller.mspId}/${caller.gln}`)) {
      const reasons = JSON.stringify(['CLONE_SUSPECTED']);
      this.alerts.push(() =>
        this.ledger.submit(caller, 'audit', 'RaiseAlert', gtin, serial, reasons, caller.gln),
      );
    }
  }
}
