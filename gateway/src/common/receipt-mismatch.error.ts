import { DomainError, ReceiptReport } from '@drugtrace/chaincode/domain';

/** A receipt whose scan does not match the shipment: 409 with the report, and nothing written. */
export class ReceiptMismatchError extends DomainError {
  constructor(
    id: string,
    readonly report: ReceiptReport,
  ) {
    super(
      'CONFLICT',
      `shipment ${id} does not match the scan: ${report.missing.length} missing, ` +
        `${report.unexpected.length} unexpected; receive with acceptDiscrepancies to take it as scanned`,
    );
  }
}
