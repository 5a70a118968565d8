import { Injectable } from '@nestjs/common';

export const CLONE_WINDOW_MS = 10 * 60 * 1000;
/** Serials tracked at most; the least recently scanned is forgotten first. */
export const MAX_TRACKED = 50_000;

interface Sightings {
  places: Map<string, number>;
  reportedAt?: number;
}

/**
 * One serial scanned at two or more places within a short window is a cloned code: the genuine pack can
 * only be in one place. Reports once per window per serial.
 */
@Injectable()
export class CloneDetector {
  readonly #seen = new Map<string, Sightings>();

  /** Records a scan; true when this scan makes the serial suspect (first time in the window). */
  observe(gtin: string, serial: string, place: string, now = Date.now()): boolean {
    const key = `${gtin}/${serial}`;
    const sightings = this.#seen.get(key) ?? { places: new Map<string, number>() };
    for (const [p, at] of sightings.places) if (now - at > CLONE_WINDOW_MS) sightings.places.delete(p);
    sightings.places.set(place, now);
    this.#seen.delete(key);
    this.#seen.set(key, sightings);
    if (this.#seen.size > MAX_TRACKED) this.#seen.delete(this.#seen.keys().next().value as string);
    const suspect =
      sightings.places.size >= 2 &&
      (sightings.reportedAt === undefined || now - sightings.reportedAt > CLONE_WINDOW_MS);
    if (suspect) sightings.reportedAt = now;
    return suspect;
  }
}
