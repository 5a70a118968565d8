// What the web pages use of the domain, bundled for the browser by the gateway's build: only modules
// without Node built-ins (the domain index also carries EPCIS and serial generation, which hash with
// node:crypto).
export { gs1CheckDigit, isValidGln, isValidGtin, isValidSscc } from './gs1/check-digit';
export { GS, parseCode } from './gs1/parse';
export { LANGUAGES, reasonText } from './reason-texts';
export { compareManifest, hasDiscrepancy, scanKey } from './manifest';
export { HINT_TEXT } from './hints';
export { mayDispense, mayUndoDispense } from './authority';
export { MAX_COMMISSION_BATCH, MAX_GENERATED_BATCH, REASON_MAX_LENGTH } from './limits';
