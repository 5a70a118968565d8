import { Party, REASON_CODES, ReasonCode } from './types';

/** One serial seen at two organisations within this window is a cloned code: a genuine pack is in one place. */
export const CLONE_WINDOW_MS = 10 * 60 * 1000;
/** Identical alerts from one place within this window (from the first) are one alert with a count. */
export const ALERT_WINDOW_MS = 60 * 60 * 1000;

/** Where and when a pack's code was last scanned by one place (organisation and GLN). */
export interface Sighting extends Party {
  at: string;
}

/**
 * The sightings that make a scan at `place` a clone: the same serial scanned by another organisation within
 * the window, newest first. Another location of the scanner's own organisation is no evidence: one
 * organisation alone must not be able to raise a clone alert on any pack it has seen.
 */
export function cloneEvidence(place: Party, sightings: readonly Sighting[], now: string): Sighting[] {
  const at = Date.parse(now);
  return sightings
    .filter((s) => s.msp !== place.msp && at - Date.parse(s.at) <= CLONE_WINDOW_MS)
    .sort((a, b) => b.at.localeCompare(a.at));
}

/** What an alert says, in report order: the chaincode's own verdict reasons, and CLONE_SUSPECTED on evidence. */
export function alertReasons(verdictReasons: readonly ReasonCode[], cloned: boolean): ReasonCode[] {
  const reasons = new Set<ReasonCode>(verdictReasons);
  if (cloned) reasons.add('CLONE_SUSPECTED');
  return REASON_CODES.filter((r) => reasons.has(r));
}

/** An alert as read: alerts recorded before repeats were counted stand for one occurrence each. */
export function alertAsRead<T extends { at: string; count?: number; lastSeen?: string }>(
  alert: T,
): T & { count: number; lastSeen: string } {
  return { ...alert, count: alert.count ?? 1, lastSeen: alert.lastSeen ?? alert.at };
}

/** What makes two alerts identical: the same pack, the same place, the same reasons. */
export function alertFingerprint(alert: {
  gtin: string;
  serial: string;
  org: string;
  gln: string;
  reasons: readonly ReasonCode[];
}): string[] {
  return [alert.gtin, alert.serial, alert.org, alert.gln, [...alert.reasons].sort().join('+')];
}

/** Whether an alert first raised at `firstAt` still takes a repeat seen at `now`. */
export function withinAlertWindow(firstAt: string, now: string): boolean {
  return Date.parse(now) - Date.parse(firstAt) < ALERT_WINDOW_MS;
}
