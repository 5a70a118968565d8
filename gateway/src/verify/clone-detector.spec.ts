import { CLONE_WINDOW_MS, CloneDetector, MAX_TRACKED } from './clone-detector';

const GTIN = '09506000134352';
const PHARMACY = 'PharmacyMSP/9506000000027';
const DISTRIBUTOR = 'DistributorMSP/9506000010007';
const MANUFACTURER = 'ManufacturerMSP/9506000000003';
const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
const MINUTE = 60_000;

describe(CloneDetector.name, () => {
  let sut: CloneDetector;

  beforeEach(() => {
    sut = new CloneDetector();
  });

  it('one place scanning a serial again and again is no clone', () => {
    for (let i = 0; i < 5; i++) expect(sut.observe(GTIN, 'S1', PHARMACY, T0 + i * MINUTE)).toBe(false);
  });

  it('a second place within the window makes the serial suspect', () => {
    expect(sut.observe(GTIN, 'S1', PHARMACY, T0)).toBe(false);
    expect(sut.observe(GTIN, 'S1', DISTRIBUTOR, T0 + CLONE_WINDOW_MS)).toBe(true);
  });

  it('reports once per window, however many places and scans follow', () => {
    sut.observe(GTIN, 'S1', PHARMACY, T0);
    expect(sut.observe(GTIN, 'S1', DISTRIBUTOR, T0 + MINUTE)).toBe(true);
    expect(sut.observe(GTIN, 'S1', DISTRIBUTOR, T0 + 2 * MINUTE)).toBe(false);
    expect(sut.observe(GTIN, 'S1', PHARMACY, T0 + 3 * MINUTE)).toBe(false);
    expect(sut.observe(GTIN, 'S1', MANUFACTURER, T0 + MINUTE + CLONE_WINDOW_MS)).toBe(false);
  });

  it('reports again once a window has passed since the report and places still differ', () => {
    sut.observe(GTIN, 'S1', PHARMACY, T0);
    expect(sut.observe(GTIN, 'S1', DISTRIBUTOR, T0 + MINUTE)).toBe(true);
    expect(sut.observe(GTIN, 'S1', DISTRIBUTOR, T0 + MINUTE + CLONE_WINDOW_MS / 2)).toBe(false);
    expect(sut.observe(GTIN, 'S1', PHARMACY, T0 + MINUTE + CLONE_WINDOW_MS + 1)).toBe(true);
  });

  it('a sighting older than the window is forgotten: two places far apart in time are no clone', () => {
    expect(sut.observe(GTIN, 'S1', PHARMACY, T0)).toBe(false);
    expect(sut.observe(GTIN, 'S1', DISTRIBUTOR, T0 + CLONE_WINDOW_MS + 1)).toBe(false);
    // The distributor's sighting is now the only one; a pharmacy scan within its window is a second place.
    expect(sut.observe(GTIN, 'S1', PHARMACY, T0 + CLONE_WINDOW_MS + 2)).toBe(true);
  });

  it('keeps serials and products apart', () => {
    sut.observe(GTIN, 'S1', PHARMACY, T0);
    expect(sut.observe(GTIN, 'S2', DISTRIBUTOR, T0)).toBe(false);
    expect(sut.observe('09506000134369', 'S1', DISTRIBUTOR, T0)).toBe(false);
  });

  it(`tracks at most ${MAX_TRACKED} serials, forgetting the least recently scanned`, () => {
    sut.observe(GTIN, 'OLDEST', PHARMACY, T0);
    sut.observe(GTIN, 'KEPT', PHARMACY, T0);
    for (let i = 0; i < MAX_TRACKED - 2; i++) sut.observe(GTIN, `F${i}`, PHARMACY, T0);
    // Scanned again: now the most recent, so the next new serial evicts OLDEST instead.
    sut.observe(GTIN, 'KEPT', PHARMACY, T0 + 1);
    sut.observe(GTIN, 'NEWEST', PHARMACY, T0 + 1);
    expect(sut.observe(GTIN, 'OLDEST', DISTRIBUTOR, T0 + 2)).toBe(false);
    expect(sut.observe(GTIN, 'KEPT', DISTRIBUTOR, T0 + 2)).toBe(true);
  });
});
