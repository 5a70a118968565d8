import { DomainError } from './errors';
import {
  compareManifest,
  hasDiscrepancy,
  ManifestItem,
  packCode,
  scanKey,
  scanKeys,
  ssccCode,
} from './manifest';

const GTIN = '09506000134352';
const SSCC_A = '106141410000000019';
const SSCC_B = '106141410000000026';
const p = (serial: string): ManifestItem => ({ code: packCode(GTIN, serial) });
// A pallet B holding case A (P1, P2) and P3; P4 loose.
const caseA: ManifestItem = { code: ssccCode(SSCC_A), contents: [p('P1'), p('P2')] };
const pallet: ManifestItem = { code: ssccCode(SSCC_B), contents: [caseA, p('P3')] };
const items = [pallet, p('P4')];

describe('scanKey', () => {
  it('reads SSCCs and packs in any form, ignoring lot and expiry', () => {
    expect(scanKey(`(00)${SSCC_A}`)).toBe(ssccCode(SSCC_A));
    expect(scanKey(`00${SSCC_A}`)).toBe(ssccCode(SSCC_A));
    expect(scanKey(` ${SSCC_A}`)).toBe(ssccCode(SSCC_A));
    expect(scanKey(`(01)${GTIN}(17)280630(10)A1(21)P1`)).toBe(packCode(GTIN, 'P1'));
    expect(scanKey(`https://id.example/01/${GTIN}/10/A1/21/P1`)).toBe(packCode(GTIN, 'P1'));
  });

  it('refuses a code without a serial, and garbage', () => {
    expect(() => scanKey(`(01)${GTIN}(10)A1`)).toThrow(/names no serial/);
    expect(() => scanKey('hello')).toThrow(DomainError);
  });

  it('counts each code once and refuses more than the limit', () => {
    expect(scanKeys([`(00)${SSCC_A}`, `00${SSCC_A}`])).toEqual([ssccCode(SSCC_A)]);
    expect(() => scanKeys(Array.from({ length: 1001 }, () => `(00)${SSCC_A}`))).toThrow(/at most 1000/);
  });
});

describe('compareManifest', () => {
  it('matches when the outer containers and loose packs are scanned', () => {
    const report = compareManifest(items, [ssccCode(SSCC_B), packCode(GTIN, 'P4')]);
    expect(report).toMatchObject({ expected: 4, scanned: 4, missing: [], unexpected: [] });
    expect(hasDiscrepancy(report)).toBe(false);
  });

  it('matches when every pack is scanned one by one', () => {
    const report = compareManifest(
      items,
      ['P1', 'P2', 'P3', 'P4'].map((s) => packCode(GTIN, s)),
    );
    expect(hasDiscrepancy(report)).toBe(false);
  });

  it('names a container none of whose contents was scanned as one missing code', () => {
    const report = compareManifest(items, [packCode(GTIN, 'P3'), packCode(GTIN, 'P4')]);
    expect(report).toMatchObject({ expected: 4, scanned: 2, missing: [ssccCode(SSCC_A)], unexpected: [] });
    expect(report.missingItems).toEqual([caseA]);
  });

  it('names single packs missing from a partly scanned case, and codes the shipment does not hold', () => {
    const stray = packCode(GTIN, 'X9');
    const report = compareManifest(items, [packCode(GTIN, 'P1'), packCode(GTIN, 'P3'), stray]);
    expect(report).toMatchObject({
      scanned: 2,
      missing: [packCode(GTIN, 'P2'), packCode(GTIN, 'P4')],
      unexpected: [stray],
    });
    expect(hasDiscrepancy(report)).toBe(true);
  });

  it('reports everything missing when nothing was scanned', () => {
    const report = compareManifest(items, []);
    expect(report).toMatchObject({ scanned: 0, missing: [ssccCode(SSCC_B), packCode(GTIN, 'P4')] });
  });
});
