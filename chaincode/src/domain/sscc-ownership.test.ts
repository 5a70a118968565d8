import fc from 'fast-check';
import { ssccArb } from '../testing/arbitraries';
import {
  assertCompanyPrefix,
  assertDistinctPrefixes,
  mayPackSscc,
  prefixOwnerOf,
  PrefixHolder,
  ssccOwner,
  ssccPackRefusal,
} from './sscc-ownership';

const ORGS: PrefixHolder[] = [
  { mspId: 'AcmeMSP', companyPrefixes: ['9506000'] },
  { mspId: 'WholesaleMSP', companyPrefixes: ['950601234', '4012345'] },
  { mspId: 'PharmacyMSP' },
];
const ACME_CASE = '195060000000000012';
const WHOLESALE_CASE = '140123450000000013';
const NOBODYS_CASE = '106141410000000019';

describe(prefixOwnerOf.name, () => {
  it('reads the company prefix after the extension digit', () => {
    expect(prefixOwnerOf(ACME_CASE, ORGS)).toBe('AcmeMSP');
    expect(prefixOwnerOf(WHOLESALE_CASE, ORGS)).toBe('WholesaleMSP');
    expect(prefixOwnerOf(NOBODYS_CASE, ORGS)).toBeUndefined();
    // The prefix must start right after the extension digit, not anywhere.
    expect(prefixOwnerOf('119506000000000015', ORGS)).toBeUndefined();
  });
});

describe(ssccPackRefusal.name, () => {
  it('gives an SSCC under a known prefix to that company alone, first pack or reuse', () => {
    expect(ssccPackRefusal('AcmeMSP', ACME_CASE, ORGS)).toBeUndefined();
    expect(ssccPackRefusal('WholesaleMSP', ACME_CASE, ORGS)).toBe(
      `SSCC ${ACME_CASE} carries the GS1 company prefix of AcmeMSP; only AcmeMSP may pack it`,
    );
    // The prefix outranks whoever packed it first (a case packed before the registry knew the prefix).
    expect(mayPackSscc('WholesaleMSP', ACME_CASE, ORGS, 'WholesaleMSP')).toBe(false);
    expect(mayPackSscc('AcmeMSP', ACME_CASE, ORGS, 'WholesaleMSP')).toBe(true);
  });

  it('gives any other SSCC to its first packer; a fresh one to whoever packs it', () => {
    expect(mayPackSscc('PharmacyMSP', NOBODYS_CASE, ORGS)).toBe(true);
    expect(mayPackSscc('PharmacyMSP', NOBODYS_CASE, ORGS, 'PharmacyMSP')).toBe(true);
    expect(ssccPackRefusal('AcmeMSP', NOBODYS_CASE, ORGS, 'PharmacyMSP')).toBe(
      `SSCC ${NOBODYS_CASE} belongs to PharmacyMSP, which packed it first; only PharmacyMSP may pack it again`,
    );
  });

  it('lets exactly the owner pack, for any SSCC, registry and first packer', () => {
    const msp = fc.constantFrom('AcmeMSP', 'WholesaleMSP', 'PharmacyMSP');
    fc.assert(
      fc.property(msp, ssccArb, fc.option(msp, { nil: undefined }), (caller, code, first) => {
        const owner = ssccOwner(code, ORGS, first);
        return mayPackSscc(caller, code, ORGS, first) === (owner === undefined || owner === caller);
      }),
    );
  });
});

describe(assertCompanyPrefix.name, () => {
  it('takes 4 to 12 digits', () => {
    for (const ok of ['9506', '950600001234']) expect(() => assertCompanyPrefix(ok)).not.toThrow();
    for (const bad of ['950', '9506000012345', '95O6', 9506, '']) {
      expect(() => assertCompanyPrefix(bad)).toThrow(/^INVALID: a GS1 company prefix is 4 to 12 digits/);
    }
  });
});

describe(assertDistinctPrefixes.name, () => {
  it('accepts disjoint prefixes and refuses one that starts another, across organisations', () => {
    expect(() => assertDistinctPrefixes(ORGS)).not.toThrow();
    expect(() =>
      assertDistinctPrefixes([...ORGS, { mspId: 'NewMSP', companyPrefixes: ['95060001'] }]),
    ).toThrow('CONFLICT: GS1 company prefix 9506000 of AcmeMSP overlaps 95060001 of NewMSP');
    expect(() => assertDistinctPrefixes([{ mspId: 'OneMSP', companyPrefixes: ['4012', '4012'] }])).toThrow(
      /^CONFLICT/,
    );
  });
});
