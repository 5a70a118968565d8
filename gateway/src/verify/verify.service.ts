import { Injectable } from '@nestjs/common';
import {
  DomainError,
  hintViews,
  parsePackCode,
  parseFailureHints,
  regimesOf,
} from '@drugtrace/chaincode/domain';
import { Verification } from '@drugtrace/chaincode/api';
import { Caller, Who } from '../auth/caller';
import { HintedScanError } from '../common/problem';
import { AppConfig } from '../config/app-config';
import { Ledger } from '../fabric/ledger';
import { MetricsService } from '../metrics/metrics.service';
import { ReceiptsService } from '../receipts/receipts.service';
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
    private readonly receipts: ReceiptsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * A malformed code throws the domain parser's error (400 with AI and position, and the scanner faults that
   * would explain it) before any ledger call; a well-formed one always gets a verdict, in both regulatory
   * regimes' terms, with a receipt signed by the answering organisation. What an authenticated scan leaves on
   * the ledger is decided by the chaincode's `RecordScan` (its own verdict and sightings), never by the gateway.
   */
  async verify(
    who: Who,
    raw: string,
    consistency: 'replica' | 'ledger' = 'replica',
  ): Promise<VerificationResponse> {
    const { gtin, serial } = this.#parse(raw);
    const scannerGln = typeof who === 'string' ? '' : who.gln;
    const contracts = consistency === 'ledger' ? this.ledger.onPeer : this.ledger;
    const result = await contracts.verification.verify(who, raw, scannerGln);
    const asOfBlock = ledgerPosition()?.block ?? -1;
    const txId = typeof who !== 'string' ? this.#record(who, raw, result, gtin, serial) : undefined;
    const scanner = typeof who === 'string' ? null : { msp: who.mspId, gln: who.gln };
    const signer = scanner?.msp ?? this.config.network.orgs[this.config.regulatorOrg].mspId;
    const receipt = await this.receipts.sign(signer, {
      verdict: result.verdict,
      reasons: result.reasons,
      code: { ...result.code },
      asOfBlock: asOfBlock >= 0 ? asOfBlock : null,
      scanner,
      at: new Date().toISOString(),
      ...(txId ? { txId } : {}),
    });
    const { hints, ...verdict } = result;
    return {
      ...verdict,
      asOfBlock,
      ...(hints?.length ? { hints: hintViews(hints) } : {}),
      regimes: regimesOf(result.reasons),
      receipt,
      ...(txId ? { txId } : {}),
    };
  }

  /** The pack's GTIN and serial, or the 400 with the scanner faults that would explain the code. */
  #parse(raw: string): { gtin: string; serial: string } {
    try {
      return parsePackCode(raw);
    } catch (err) {
      const hints = err instanceof DomainError ? parseFailureHints(raw) : [];
      throw hints.length > 0 ? new HintedScanError(err as DomainError, hints) : err;
    }
  }

  /**
   * Records the scans the ledger must see: every scan that is not genuine (its alert, its occurrence, or the
   * scanner problem that explains it) and a known pack's first scan at this place in a while (the sighting
   * clones are detected from). These writes come out of the API key's budget; beyond it the verdict is still
   * answered but not recorded. Returns the recording transaction's ID.
   */
  #record(
    caller: Caller,
    raw: string,
    result: Verification,
    gtin: string,
    serial: string,
  ): string | undefined {
    const place = `${caller.mspId}/${caller.gln}`;
    const sighting = result.unit !== undefined && !this.sightings.isFresh(gtin, serial, place);
    if (result.verdict === 'GENUINE' && !sighting) return undefined;
    if (!this.limiter.take(`${caller.org}/${caller.user}`)) {
      this.metrics.scanRecords.inc({ outcome: 'rate_limited' });
      return undefined;
    }
    if (result.unit) this.sightings.note(gtin, serial, place);
    this.metrics.scanRecords.inc({ outcome: 'queued' });
    const prepare = () => this.ledger.prepared.verification.recordScan(caller, raw, caller.gln);
    const first = prepare();
    this.queue.push({ key: `${gtin}/${serial}`, caller, first, prepare });
    return first.txId;
  }
}
