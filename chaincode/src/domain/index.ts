// The pure domain rules of DrugTrace: no Fabric, no NestJS. The chaincode enforces them; the gateway
// imports them as `@drugtrace/chaincode/domain` for parsing, formatting and types.
export * from './types';
export * from './errors';
export * from './gs1/check-digit';
export * from './gs1/character-set';
export * from './gs1/dates';
export * from './gs1/parse';
export * from './gs1/format';
export * from './gs1/application-identifiers';
export * from './gs1/linters';
export * from './state-machines';
export * from './authority';
export * from './batch-authority';
export * from './sscc-ownership';
export * from './alerts';
export * from './verification';
export * from './reason-texts';
export * from './regimes';
export * from './hints';
export * from './serials';
export * from './limits';
export * from './epcis';
export * from './prescription';
export * from './manifest';
export * from './terms';
export * from './whereabouts';
export * from './commission';
