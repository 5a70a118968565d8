import { assertSerial } from './gs1/character-set';
import { GENERATED_SERIAL_LENGTH, generateSerials } from './serials';

describe(generateSerials.name, () => {
  it('derives the same serials from the same seed on every peer', () => {
    expect(generateSerials('tx-1', 50)).toEqual(generateSerials('tx-1', 50));
    expect(generateSerials('tx-1', 50)).not.toEqual(generateSerials('tx-2', 50));
  });

  it('makes unique 12-character serials from an unambiguous alphabet, valid GS1 serials', () => {
    const serials = generateSerials('seed', 5000);
    expect(serials).toHaveLength(5000);
    expect(new Set(serials).size).toBe(5000);
    for (const s of serials) {
      expect(s).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);
      expect(() => assertSerial(s)).not.toThrow();
    }
    expect(GENERATED_SERIAL_LENGTH).toBeGreaterThanOrEqual(12);
  });

  it('skips serials that already exist', () => {
    const [first, second] = generateSerials('seed', 2);
    const again = generateSerials('seed', 2, new Set([first]));
    expect(again).not.toContain(first);
    expect(again[0]).toBe(second);
  });
});
