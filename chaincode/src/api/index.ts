// The typed contract between the chaincode and its clients: per contract its transactions, their argument
// tuples and results, and the shared limits. No Fabric or NestJS import: the gateway imports it as
// `@drugtrace/chaincode/api`.
export * from './documents';
export * from './requests';
export * from './results';
export * from './transactions';
export * from './contracts';
export {
  DEFAULT_ALERTS_PER_READ,
  MAX_ALERTS_PER_READ,
  MAX_COMMISSION_BATCH,
  MAX_GENERATED_BATCH,
  MAX_GOODS_PER_MOVE,
  MAX_PRESCRIPTION_PACKS,
  MAX_SERIAL_PAGE,
  MAX_SHIPMENT_LIST,
  REASON_MAX_LENGTH,
} from '../domain';
