import { createHash } from 'node:crypto';
import { DomainError } from './errors';

// A shipment's commercial terms: kept in the two trading organisations' private data, only their hash on the
// channel. The salt (random, chosen by the sender's gateway) keeps a guessable order number or price from
// being found by hashing guesses; anyone handed the document, salt included, can check it against the hash.

export interface ShipmentTerms {
  purchaseOrder: string;
  invoice: string;
  /** A decimal amount, as text: no binary rounding. */
  unitPrice: string;
  /** ISO 4217, e.g. EUR, CNY. */
  currency: string;
}

export interface TermsDocument extends ShipmentTerms {
  /** 32 hexadecimal characters. */
  salt: string;
}

const TEXT_MAX = 64;
const PRICE = /^\d{1,12}(\.\d{1,6})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const SALT = /^[0-9a-f]{32}$/;

/** The document's fields, checked; anything else in it is refused. */
export function assertTermsDocument(value: unknown): TermsDocument {
  if (value === null || typeof value !== 'object')
    throw new DomainError('INVALID', 'terms must be an object');
  const doc = value as Record<string, unknown>;
  const extra = Object.keys(doc).filter(
    (k) => !['purchaseOrder', 'invoice', 'unitPrice', 'currency', 'salt'].includes(k),
  );
  if (extra.length) throw new DomainError('INVALID', `terms have unknown fields: ${extra.join(', ')}`);
  for (const field of ['purchaseOrder', 'invoice'] as const) {
    const text = doc[field];
    if (typeof text !== 'string' || !text.trim() || text.length > TEXT_MAX)
      throw new DomainError('INVALID', `terms.${field} must be 1 to ${TEXT_MAX} characters`);
  }
  if (typeof doc.unitPrice !== 'string' || !PRICE.test(doc.unitPrice))
    throw new DomainError('INVALID', 'terms.unitPrice must be a decimal amount such as 12.50');
  if (typeof doc.currency !== 'string' || !CURRENCY.test(doc.currency))
    throw new DomainError('INVALID', 'terms.currency must be an ISO 4217 code such as EUR');
  if (typeof doc.salt !== 'string' || !SALT.test(doc.salt))
    throw new DomainError('INVALID', 'terms.salt must be 32 hexadecimal characters');
  return doc as unknown as TermsDocument;
}

/** SHA-256 of the document's fields in one fixed order, hex: what the channel stores as `termsHash`. */
export function termsHash(doc: TermsDocument): string {
  const canonical = JSON.stringify([doc.purchaseOrder, doc.invoice, doc.unitPrice, doc.currency, doc.salt]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
