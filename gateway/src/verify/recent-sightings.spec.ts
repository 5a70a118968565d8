import { MAX_TRACKED, RecentSightings, SIGHTING_REFRESH_MS } from './recent-sightings';

const GTIN = '09506000134352';
const PHARMACY = 'PharmacyMSP/9506000000027';
const DISTRIBUTOR = 'DistributorMSP/9506000010007';
const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

describe(RecentSightings.name, () => {
  let sut: RecentSightings;
  beforeEach(() => {
    sut = new RecentSightings();
  });

  it('a place’s recorded sighting stands for its scans of the same pack for a while, then not', () => {
    expect(sut.isFresh(GTIN, 'S1', PHARMACY, T0)).toBe(false);
    sut.note(GTIN, 'S1', PHARMACY, T0);
    expect(sut.isFresh(GTIN, 'S1', PHARMACY, T0 + SIGHTING_REFRESH_MS - 1)).toBe(true);
    expect(sut.isFresh(GTIN, 'S1', PHARMACY, T0 + SIGHTING_REFRESH_MS)).toBe(false);
  });

  it('keeps places, serials and products apart', () => {
    sut.note(GTIN, 'S1', PHARMACY, T0);
    expect(sut.isFresh(GTIN, 'S1', DISTRIBUTOR, T0)).toBe(false);
    expect(sut.isFresh(GTIN, 'S2', PHARMACY, T0)).toBe(false);
    expect(sut.isFresh('09506000134369', 'S1', PHARMACY, T0)).toBe(false);
  });

  it(`remembers at most ${MAX_TRACKED} sightings, forgetting the least recently recorded`, () => {
    sut.note(GTIN, 'OLDEST', PHARMACY, T0);
    sut.note(GTIN, 'KEPT', PHARMACY, T0);
    for (let i = 0; i < MAX_TRACKED - 2; i++) sut.note(GTIN, `F${i}`, PHARMACY, T0);
    sut.note(GTIN, 'KEPT', PHARMACY, T0 + 1);
    sut.note(GTIN, 'NEWEST', PHARMACY, T0 + 1);
    expect(sut.isFresh(GTIN, 'OLDEST', PHARMACY, T0 + 2)).toBe(false);
    expect(sut.isFresh(GTIN, 'KEPT', PHARMACY, T0 + 2)).toBe(true);
    expect(sut.isFresh(GTIN, 'NEWEST', PHARMACY, T0 + 2)).toBe(true);
  });
});
