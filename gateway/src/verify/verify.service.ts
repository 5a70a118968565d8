import { Injectable } from '@nestjs/common';
import { parsePackCode } from '@drugtrace/chaincode/domain';
import { Caller, Who } from '../auth/caller';
import { Ledger } from '../fabric/ledger';
import { MetricsService } from '../metrics/metrics.service';
import { ledgerPosition } from '../replica/ledger-position';
import { AlertQueue } from './alert-queue';
import { RecentSightings } from './recent-sightings';
import { ScanRecordLimiter } from './scan-record-limiter';
import { VerificationResponse } from './verify.dto';

/** The anti-counterfeit scan: the ledger's verdict, and the record a scan leaves for regulators. */
@Injectable()
export class VerifyService {
  constructor(
    private readonly ledger: Ledger,
    private readonly queue: AlertQueue,
    private readonly sightings: RecentSightings,
    private readonly limiter: ScanRecordLimiter,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * A malformed code throws the domain parser's error (400 with AI and position) before any ledger call;
   * a well-formed one always gets a verdict. What an authenticated scan leaves on the ledger is decided
   * by the chaincode's `RecordScan` (its own verdict and sightings), never by the gateway.
   */
  async verify(
    who: Who,
    raw: string,
    consistency: 'replica' | 'ledger' = 'replica',
  ): Promise<VerificationResponse> {
    const { gtin, serial } = parsePackCode(raw);
    const scannerGln = typeof who === 'string' ? '' : who.gln;
    const contracts = consistency === 'ledger' ? this.ledger.onPeer : this.ledger;
    const verification = await contracts.verification.verify(who, raw, scannerGln);
    const result: VerificationResponse = { ...verification, asOfBlock: ledgerPosition()?.block ?? -1 };
    if (typeof who !== 'string') this.#record(who, raw, result, gtin, serial);
    return result;
  }

  /**
   * Records the scans the ledger must see: every scan that is not genuine (its alert, or one more occurrence of
   * it) and a known pack's first scan at this place in a while (the sighting clones are detected from). These
   * writes come out of the API key's budget; beyond it the verdict is still answered but not recorded.
   */
  #record(caller: Caller, raw: string, result: VerificationResponse, gtin: string, serial: string): void {
    const place = `${caller.mspId}/${caller.gln}`;
    const sighting = result.unit !== undefined && !this.sightings.isFresh(gtin, serial, place);
    if (result.verdict === 'GENUINE' && !sighting) return;
    if (!this.limiter.take(`${caller.org}/${caller.user}`)) {
      this.metrics.scanRecords.inc({ outcome: 'rate_limited' });
      return;
    }
    if (result.unit) this.sightings.note(gtin, serial, place);
    this.metrics.scanRecords.inc({ outcome: 'queued' });
    this.queue.push(() => this.ledger.verification.recordScan(caller, raw, caller.gln), `${gtin}/${serial}`);
  }
}
