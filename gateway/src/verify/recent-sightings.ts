import { Injectable } from '@nestjs/common';
import { CLONE_WINDOW_MS } from '@drugtrace/chaincode/domain';

/**
 * How long a place's recorded sighting of a pack stands for its later scans. Half the clone window: a scan at
 * another organisation within half a window of this place's last scan always finds a sighting on the ledger.
 */
export const SIGHTING_REFRESH_MS = CLONE_WINDOW_MS / 2;
/** Sightings remembered at most; the least recently recorded is forgotten first. */
export const MAX_TRACKED = 50_000;

/**
 * Which places the ledger has a fresh sighting from, per pack. The chaincode detects cloned codes from the
 * sightings `RecordScan` writes; a place scanning the same pack again soon adds no evidence, so the gateway
 * does not write it again.
 */
@Injectable()
export class RecentSightings {
  /** gtin/serial/place → when its sighting was last recorded (ms); insertion order is recency. */
  readonly #recorded = new Map<string, number>();

  /** Whether the ledger already has a sighting of the pack from this place that still stands. */
  isFresh(gtin: string, serial: string, place: string, now = Date.now()): boolean {
    const at = this.#recorded.get(`${gtin}/${serial}/${place}`);
    return at !== undefined && now - at < SIGHTING_REFRESH_MS;
  }

  /** Notes that a sighting of the pack from this place is being recorded now. */
  note(gtin: string, serial: string, place: string, now = Date.now()): void {
    const key = `${gtin}/${serial}/${place}`;
    this.#recorded.delete(key);
    this.#recorded.set(key, now);
    if (this.#recorded.size > MAX_TRACKED)
      this.#recorded.delete(this.#recorded.keys().next().value as string);
  }
}
