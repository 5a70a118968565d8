import { ReasonCode } from './types';

/**
 * Each verdict reason in words a patient, pharmacist or inspector can act on: the one table behind the
 * scan page and the public resolver's verdict page. A Record over every ReasonCode, so a new reason does
 * not compile until it has its words.
 */
export const REASON_TEXT: Readonly<Record<ReasonCode, string>> = {
  UNKNOWN_PRODUCT: 'This product (GTIN) was never registered by any manufacturer. It may be counterfeit.',
  UNKNOWN_SERIAL: 'No pack with this serial number was ever made. It may be counterfeit.',
  UNKNOWN_BATCH: 'No batch with the number printed on this pack was ever made of this product.',
  LOT_MISMATCH: 'The batch number printed on the pack does not match the manufacturer’s record.',
  EXPIRY_MISMATCH: 'The expiry date printed on the pack does not match the manufacturer’s record.',
  EXPIRED: 'This pack is past its expiry date.',
  RECALLED: 'This batch has been recalled. Do not use or supply it.',
  QUARANTINED: 'This batch is on hold (quarantined) while it is investigated. Do not use or supply it.',
  ALREADY_DISPENSED: 'This pack was already dispensed. Seeing it again means the code may be a copy.',
  DESTROYED: 'This pack was reported destroyed.',
  STOLEN: 'This pack was reported stolen.',
  SAMPLE: 'This pack was taken as a sample.',
  EXPORTED: 'This pack was exported out of this market.',
  IN_TRANSIT: 'This pack is still in transit between companies: nobody has received it yet.',
  NOT_IN_CUSTODY: 'The records place this pack at another organisation or location, not here.',
  CLONE_SUSPECTED:
    'The same code was scanned in several places in a short time: the code may have been copied.',
  MISSING_IN_TRANSIT:
    'This pack did not arrive with its shipment: the receiver reported it missing in transit. It may have been diverted.',
  UNEXPECTED_IN_SHIPMENT: 'This code arrived in a shipment that did not list it.',
};

/** The same words in Simplified Chinese (the pages' second language). */
export const REASON_TEXT_ZH: Readonly<Record<ReasonCode, string>> = {
  UNKNOWN_PRODUCT: '没有任何生产企业登记过此产品（GTIN），可能是假药。',
  UNKNOWN_SERIAL: '从未生产过此序列号的药盒，可能是假药。',
  UNKNOWN_BATCH: '此产品从未生产过药盒上所印批号的批次。',
  LOT_MISMATCH: '药盒上印的批号与生产企业的记录不符。',
  EXPIRY_MISMATCH: '药盒上印的有效期与生产企业的记录不符。',
  EXPIRED: '此药盒已过有效期。',
  RECALLED: '此批次已被召回，请勿使用或销售。',
  QUARANTINED: '此批次正在调查中（已暂停流通），请勿使用或销售。',
  ALREADY_DISPENSED: '此药盒已经调配给患者。再次出现说明此码可能被复制。',
  DESTROYED: '此药盒已被报告销毁。',
  STOLEN: '此药盒已被报告被盗。',
  SAMPLE: '此药盒已被取作样品。',
  EXPORTED: '此药盒已出口到其他市场。',
  IN_TRANSIT: '此药盒仍在企业之间运输途中，尚未被收货。',
  NOT_IN_CUSTODY: '记录显示此药盒在其他机构或地点，而不在此处。',
  CLONE_SUSPECTED: '同一个码在短时间内在多个地点被扫描，此码可能被复制。',
  MISSING_IN_TRANSIT: '此药盒未随其货物到达：收货方报告其在运输途中丢失，可能已被挪用。',
  UNEXPECTED_IN_SHIPMENT: '此码出现在一批未列明它的货物中。',
};

/** The languages the pages and the resolver speak. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

const TEXTS: Record<Language, Readonly<Record<ReasonCode, string>>> = {
  en: REASON_TEXT,
  'zh-CN': REASON_TEXT_ZH,
};

/** The words for a reason; a code this version does not know (a newer ledger's) is shown as it is. */
export function reasonText(code: string, language: Language = 'en'): string {
  const table = TEXTS[language] ?? REASON_TEXT;
  return Object.hasOwn(table, code) ? table[code as ReasonCode] : code;
}
