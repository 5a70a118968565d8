import { DomainError } from '../errors';

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * Why 20YY: an expiry date in the 1900s cannot be on a pack in circulation, and a fixed rule keeps the
 * chaincode deterministic (GS1's sliding century window depends on today's date). Returns undefined
 * with a reason when the date is impossible; DD=00 means the last day of the month.
 */
export function isoFromYymmdd(yymmdd: string): { iso?: string; reason?: string } {
  if (!/^\d{6}$/.test(yymmdd)) return { reason: `date "${yymmdd}" must be 6 digits YYMMDD` };
  const year = 2000 + Number(yymmdd.slice(0, 2));
  const month = Number(yymmdd.slice(2, 4));
  const day = Number(yymmdd.slice(4, 6));
  if (month < 1 || month > 12) return { reason: `month ${pad(month)} is not a month` };
  const last = daysInMonth(year, month);
  if (day > last) return { reason: `day ${pad(day)} does not exist in ${year}-${pad(month)}` };
  return { iso: `${year}-${pad(month)}-${pad(day === 0 ? last : day)}` };
}

export function expiryFromYymmdd(yymmdd: string): string {
  const { iso, reason } = isoFromYymmdd(yymmdd);
  if (!iso) throw new DomainError('INVALID', reason ?? 'bad date');
  return iso;
}

/** ISO date to the YYMMDD printed on packs. */
export function yymmddFromIso(iso: string): string {
  assertIsoDate(iso);
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

export function assertIsoDate(iso: string, field = 'date'): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new DomainError('INVALID', `${field} "${iso}" must be an ISO date YYYY-MM-DD`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new DomainError('INVALID', `${field} ${iso} is not a calendar date`);
  }
  if (year < 2000 || year > 2099) throw new DomainError('INVALID', `${field} ${iso} must be in 2000-2099`);
}
