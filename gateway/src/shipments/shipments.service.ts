import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import {
  compareManifest,
  DomainError,
  hasDiscrepancy,
  MAX_SHIPMENT_LIST,
  scanKeys,
  ShipmentAction,
  TermsDocument,
  termsHash,
} from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { Ledger } from '../fabric/ledger';
import { ReceiptMismatchError } from '../common/receipt-mismatch.error';
import { ListQueries } from '../replica/lists/list-queries';
import { ReadModel } from '../replica/read-model';
import {
  CreateShipmentDto,
  ListShipmentsQuery,
  ReceiveShipmentDto,
  ShipmentListResponse,
  ShipmentManifestResponse,
  ShipmentResponse,
  TermsCheckResponse,
  TermsDocumentDto,
} from './shipment.dto';

/** Custody transfers between organisations. */
@Injectable()
export class ShipmentsService {
  constructor(
    private readonly ledger: Ledger,
    private readonly reads: ReadModel,
    private readonly lists: ListQueries,
  ) {}

  /**
   * With terms: first recorded privately (endorsed by the sender's and the receiver's peers only, so no other
   * organisation's peer ever sees them), then the shipment takes that record. If the shipment is refused, the
   * record stays unused in the two parties' private data, and nothing is shipped.
   */
  async create(caller: Caller, request: CreateShipmentDto): Promise<ShipmentResponse> {
    const { terms, ...goods } = request;
    if (!terms) return this.ledger.shipments.create(caller, goods);
    // Not admitted: 404 here, rather than a peer gateway asked to endorse with an organisation it does not know.
    await this.ledger.registry.get(caller, goods.to);
    const document: TermsDocument = { ...terms, salt: randomBytes(16).toString('hex') };
    const { id } = await this.ledger.shipments.recordTerms(
      caller,
      { transient: { terms: document }, endorsers: [caller.mspId, goods.to] },
      goods.to,
    );
    const shipment = await this.ledger.shipments.create(caller, { ...goods, termsId: id });
    return { ...shipment, terms: document };
  }

  /** Sender and receiver also see the terms, read from their own organisation's private data. */
  async get(caller: Caller, id: string): Promise<ShipmentResponse> {
    const shipment = await this.ledger.shipments.get(caller, id);
    const party = [shipment.from.msp, shipment.to.msp].includes(caller.mspId);
    if (!shipment.termsId || !party) return shipment;
    // Private data never reaches the read model (blocks carry only its hashes): the party's own peer reads it.
    return { ...shipment, terms: await this.ledger.onPeer.shipments.terms(caller, id) };
  }

  /** Whether a terms document someone was handed is the one whose hash the shipment carries. */
  async checkTerms(caller: Caller, id: string, document: TermsDocumentDto): Promise<TermsCheckResponse> {
    const shipment = await this.ledger.shipments.get(caller, id);
    if (!shipment.termsHash) throw new DomainError('NOT_FOUND', `shipment ${id} has no terms`);
    const { purchaseOrder, invoice, unitPrice, currency, salt } = document;
    const hash = termsHash({ purchaseOrder, invoice, unitPrice, currency, salt });
    return { matches: hash === shipment.termsHash, termsHash: shipment.termsHash };
  }

  /** A page of the caller's organisation's shipments from the read model's list tables, with its counts. */
  async list(caller: Caller, query: ListShipmentsQuery): Promise<ShipmentListResponse> {
    const { limit = MAX_SHIPMENT_LIST, ...filters } = query;
    const page = await this.reads.derived('shipments:List', () =>
      this.lists.shipmentsWithCounts(caller.mspId, { ...filters, limit }),
    );
    return { shipments: page.items, counts: page.counts, ...(page.next && { next: page.next }) };
  }

  manifest(caller: Caller, id: string): Promise<ShipmentManifestResponse> {
    return this.ledger.shipments.manifest(caller, id);
  }

  /**
   * Receive, against a scan when one is given: a mismatch is a 409 with the report, before anything is sent
   * for ordering; accepted (or matching), the chaincode compares again on the ledger it writes.
   */
  async receive(caller: Caller, id: string, body: ReceiveShipmentDto): Promise<ShipmentResponse> {
    if (body.scanned === undefined) return this.ledger.shipments.receive(caller, id);
    const scanned = scanKeys(body.scanned);
    if (body.acceptDiscrepancies !== true) {
      const { items } = await this.ledger.shipments.manifest(caller, id);
      const { expected, scanned: found, missing, unexpected } = compareManifest(items, scanned);
      const report = { expected, scanned: found, missing, unexpected };
      if (hasDiscrepancy(report)) throw new ReceiptMismatchError(id, report);
    }
    return this.ledger.shipments.receiveScanned(caller, id, {
      scanned: body.scanned,
      acceptDiscrepancies: body.acceptDiscrepancies === true,
    });
  }

  /** Reject (the receiver) or cancel (the sender); the reason only for a rejection. */
  settle(
    caller: Caller,
    id: string,
    action: Exclude<ShipmentAction, 'RECEIVE'>,
    reason?: string,
  ): Promise<ShipmentResponse> {
    const { shipments } = this.ledger;
    return action === 'REJECT' ? shipments.reject(caller, id, reason ?? '') : shipments.cancel(caller, id);
  }
}
