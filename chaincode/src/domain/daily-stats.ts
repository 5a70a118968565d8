import { LedgerEvent, ReasonCode, Verdict } from './types';

// The regulator dashboard's daily figures: scans by verdict, alert occurrences by reason, and where alerts were
// raised. Pure rules over what a block carries (a transaction's event, an alert record's new and old value), so
// whoever keeps the aggregates (the gateway's read model) counts as the chaincode decided.

/** One aggregate row: on `day` (UTC, YYYY-MM-DD), `metric`'s `key` happened `count` more times. */
export interface DailyCount {
  day: string;
  metric: DailyMetric;
  key: string;
  count: number;
}

/** scan: key = verdict; alert: key = reason; alertPlace: key = "msp|gln" of the scanner or receiver. */
export const DAILY_METRICS = ['scan', 'alert', 'alertPlace'] as const;
export type DailyMetric = (typeof DAILY_METRICS)[number];

/** The most days one dashboard read covers. */
export const MAX_STATS_DAYS = 92;

const COUNTERFEIT_REASONS: ReadonlySet<ReasonCode> = new Set(['UNKNOWN_PRODUCT', 'UNKNOWN_SERIAL']);

/**
 * The verdict a scan's recorded reasons stand for (assessVerification's rule read backwards): an unknown
 * product or serial is counterfeit, any other verdict reason suspect; clone evidence alone is an alert on a
 * genuine verdict.
 */
export function scanVerdictOf(reasons: readonly ReasonCode[]): Verdict {
  if (reasons.some((r) => COUNTERFEIT_REASONS.has(r))) return 'COUNTERFEIT';
  return reasons.some((r) => r !== 'CLONE_SUSPECTED') ? 'SUSPECT' : 'GENUINE';
}

const dayOf = (iso: string): string | undefined =>
  /^\d{4}-\d{2}-\d{2}T/.test(iso) ? iso.slice(0, 10) : undefined;

/**
 * The events that record a scan: SCANNED (no reasons: genuine), SCANNER_PROBLEM (reasons a scanner fault
 * explains) and ALERT (the scan's alert reasons).
 */
export const SCAN_EVENT_TYPES: readonly string[] = ['SCANNED', 'SCANNER_PROBLEM', 'ALERT'];

/** A recorded scan in a transaction's event (one of SCAN_EVENT_TYPES); anything else is no scan. */
export function scanCountOf(event: Pick<LedgerEvent, 'type' | 'at' | 'reasons'>): DailyCount | undefined {
  if (!SCAN_EVENT_TYPES.includes(event.type)) return undefined;
  const day = dayOf(event.at);
  if (!day) return undefined;
  return { day, metric: 'scan', key: scanVerdictOf(event.reasons ?? []), count: 1 };
}

/** An alert record as the ledger keeps it (a scan's, de-duplicated with a count, or a receipt's discrepancy). */
export interface AlertRecordLike {
  at?: string;
  lastSeen?: string;
  count?: number;
  reasons?: readonly string[];
  org?: string;
  gln?: string;
}

/**
 * The occurrences an alert record's write adds: a new record adds its count, a repeat counted on an existing
 * one adds the difference, on the day it was last seen, per reason and at its place.
 */
export function alertCountsOf(after: AlertRecordLike, before?: AlertRecordLike): DailyCount[] {
  const added = (after.count ?? 1) - (before?.count ?? 0);
  const day = dayOf(after.lastSeen ?? after.at ?? '');
  if (added <= 0 || !day) return [];
  const counts: DailyCount[] = (after.reasons ?? []).map((reason) => ({
    day,
    metric: 'alert',
    key: reason,
    count: added,
  }));
  if (after.org && after.gln)
    counts.push({ day, metric: 'alertPlace', key: `${after.org}|${after.gln}`, count: added });
  return counts;
}

/** The days from `to` back over `days` days, oldest first (UTC). */
export function daysEnding(to: string, days: number): string[] {
  const end = Date.parse(`${to}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) =>
    new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}
