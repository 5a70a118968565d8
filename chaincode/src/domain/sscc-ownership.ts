import { DomainError } from './errors';

/**
 * An organisation as the SSCC rules see it. `companyPrefixes` are the GS1 company prefixes it was licensed,
 * as the registry lists them: a GLN or SSCC does not say how long its company prefix is (4 to 12 digits),
 * so they cannot be derived from the organisation's GLNs.
 */
export interface PrefixHolder {
  mspId: string;
  companyPrefixes?: readonly string[];
}

export const MIN_COMPANY_PREFIX = 4;
export const MAX_COMPANY_PREFIX = 12;

export function assertCompanyPrefix(prefix: unknown): void {
  if (
    typeof prefix !== 'string' ||
    !new RegExp(`^\\d{${MIN_COMPANY_PREFIX},${MAX_COMPANY_PREFIX}}$`).test(prefix)
  )
    throw new DomainError(
      'INVALID',
      `a GS1 company prefix is ${MIN_COMPANY_PREFIX} to ${MAX_COMPANY_PREFIX} digits, not "${String(prefix)}"`,
    );
}

/** GS1 never licenses a prefix that starts another one: two registry entries whose prefixes overlap are a mistake. */
export function assertDistinctPrefixes(orgs: readonly PrefixHolder[]): void {
  const all = orgs.flatMap((o) => (o.companyPrefixes ?? []).map((prefix) => ({ prefix, msp: o.mspId })));
  for (const [i, a] of all.entries()) {
    for (const b of all.slice(i + 1)) {
      if (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix))
        throw new DomainError(
          'CONFLICT',
          `GS1 company prefix ${a.prefix} of ${a.msp} overlaps ${b.prefix} of ${b.msp}`,
        );
    }
  }
}

/** The organisation whose company prefix the SSCC carries (after its extension digit), if the registry knows one. */
export function prefixOwnerOf(sscc: string, orgs: readonly PrefixHolder[]): string | undefined {
  const reference = sscc.slice(1);
  return orgs.find((o) => o.companyPrefixes?.some((p) => reference.startsWith(p)))?.mspId;
}

/**
 * Who an SSCC belongs to: the company whose GS1 company prefix it carries, else whoever first packed it
 * (`firstPacker`, undefined while it was never packed), else nobody yet.
 */
export function ssccOwner(
  sscc: string,
  orgs: readonly PrefixHolder[],
  firstPacker?: string,
): string | undefined {
  return prefixOwnerOf(sscc, orgs) ?? firstPacker;
}

/** Why `msp` may not pack `sscc` (a fresh one or one unpacked for reuse), or undefined when it may. */
export function ssccPackRefusal(
  msp: string,
  sscc: string,
  orgs: readonly PrefixHolder[],
  firstPacker?: string,
): string | undefined {
  const byPrefix = prefixOwnerOf(sscc, orgs);
  const owner = byPrefix ?? firstPacker;
  if (owner === undefined || owner === msp) return undefined;
  return byPrefix
    ? `SSCC ${sscc} carries the GS1 company prefix of ${owner}; only ${owner} may pack it`
    : `SSCC ${sscc} belongs to ${owner}, which packed it first; only ${owner} may pack it again`;
}

export function mayPackSscc(
  msp: string,
  sscc: string,
  orgs: readonly PrefixHolder[],
  firstPacker?: string,
): boolean {
  return ssccPackRefusal(msp, sscc, orgs, firstPacker) === undefined;
}
