import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ContractOf, ReceiptRequest, ShipmentRequest, ShipmentsApi } from '../api';
import {
  assertGln,
  compareManifest,
  DomainError,
  EventType,
  hasDiscrepancy,
  LedgerEvent,
  ManifestItem,
  MAX_SHIPMENT_LIST,
  nextShipmentStatus,
  packCode,
  Party,
  ReasonCode,
  ReceiptReport,
  assertTermsDocument,
  REASON_MAX_LENGTH,
  refuse,
  scanKeys,
  shipmentActionRefusal,
  ShipmentAction,
  shipmentReadRefusal,
  termsHash,
  SHIPMENT_STATUSES,
  ssccCode,
} from '../domain';
import { Caller } from '../ledger/caller';
import { MAX_NESTING } from '../ledger/custody';
import { emit, recordContainerEvent, recordPerBatch } from '../ledger/events';
import { KEY } from '../ledger/keys';
import {
  Alert,
  Container,
  Org,
  Shipment,
  ShipmentManifest,
  TermsDocument,
  TermsRecord,
  Unit,
} from '../ledger/models';
import { fromBytes, toBytes } from '../ledger/serialize';
import { Store } from '../ledger/store';
import { assertMovable, Goods, loadGoods, saveGoods } from '../ledger/goods';
import { getContainer, getShipment, getUnit } from '../ledger/records';
import { parseJson, requireText, session } from '../ledger/session';

/** The public half of a shipment's terms: who trades, the hash, and the shipment that took it. */
interface TermsEntry {
  from: string;
  to: string;
  termsHash: string;
  shipmentId?: string;
}

/** Each organisation's own private data collection, which Fabric defines without any collection config. */
const implicitCollection = (msp: string): string => `_implicit_org_${msp}`;
const TERMS_TRANSIENT_KEY = 'terms';

/** Where a manifest item sits: its own key, and the container that holds it (none at the shipment's top). */
interface Placement {
  unit?: { gtin: string; serial: string };
  sscc?: string;
  parent?: string;
}

/** A shipment's goods expanded through the containers' content index, and where each item sits. */
async function expandShipment(
  store: Store,
  shipment: Shipment,
): Promise<{ items: ManifestItem[]; placed: Map<string, Placement> }> {
  const placed = new Map<string, Placement>();
  const expand = async (sscc: string, parent: string | undefined, depth: number): Promise<ManifestItem> => {
    if (depth > MAX_NESTING) throw new DomainError('CONFLICT', 'containers nested too deep');
    placed.set(ssccCode(sscc), { sscc, parent });
    // Read the index first: the iterator is closed before the nested containers are read.
    const entries: string[][] = [];
    for await (const { attrs } of store.entries(KEY.content, [sscc])) entries.push(attrs);
    const contents: ManifestItem[] = [];
    for (const attrs of entries) {
      if (attrs[1] === 'u') {
        const code = packCode(attrs[2], attrs[3]);
        placed.set(code, { unit: { gtin: attrs[2], serial: attrs[3] }, parent: sscc });
        contents.push({ code });
      } else contents.push(await expand(attrs[2], sscc, depth + 1));
    }
    return { code: ssccCode(sscc), contents };
  };
  const items: ManifestItem[] = shipment.units.map((unit) => {
    const code = packCode(unit.gtin, unit.serial);
    placed.set(code, { unit });
    return { code };
  });
  for (const sscc of shipment.containers) items.push(await expand(sscc, undefined, 1));
  return { items, placed };
}

/**
 * One alert per missing or unexpected code of an accepted receipt, for the regulator: the receiver's scan
 * against the ledger's own manifest is the evidence. Not de-duplicated: each receipt is its own event.
 */
async function recordReceiptAlerts(
  store: Store,
  caller: Caller,
  shipmentId: string,
  report: ReceiptReport,
): Promise<void> {
  const at = store.now();
  const txId = store.txId();
  const inverted = String(9_999_999_999_999 - Date.parse(at)).padStart(13, '0');
  const found: [string, ReasonCode][] = [
    ...report.missing.map((code): [string, ReasonCode] => [code, 'MISSING_IN_TRANSIT']),
    ...report.unexpected.map((code): [string, ReasonCode] => [code, 'UNEXPECTED_IN_SHIPMENT']),
  ];
  for (const [n, [code, reason]] of found.entries()) {
    const pack = /^\(01\)(\d{14})\(21\)(.+)$/.exec(code);
    const alert: Alert = {
      id: `${txId}.${n}`,
      gtin: pack?.[1] ?? '',
      serial: pack?.[2] ?? '',
      ...(pack ? {} : { sscc: code.slice(4) }),
      reasons: [reason],
      org: caller.msp,
      gln: caller.gln,
      at,
      txId,
      count: 1,
      lastSeen: at,
      shipmentId,
    };
    await store.put(KEY.alert, [inverted, txId, String(n).padStart(4, '0')], alert);
  }
}

@Info({ title: 'Shipments', description: 'Custody transfers: ship, receive, reject, cancel' })
export class ShipmentsContract extends Contract implements ContractOf<ShipmentsApi, Context> {
  constructor() {
    super('shipments');
  }

  /**
   * Commercial terms for a shipment to `to`, recorded before the shipment (whose ID is its own transaction's):
   * the document comes as transient data, goes into the sender's and the receiver's implicit collections, and
   * only its hash onto the channel. The client asks only those two organisations' peers to endorse.
   */
  @Transaction()
  @Returns('TermsRecord')
  async RecordTerms(ctx: Context, to: string): Promise<TermsRecord> {
    const { store, caller } = await session(ctx);
    requireText(to, 'to', 64);
    if (!(await store.exists(KEY.org, [to])))
      throw new DomainError('NOT_FOUND', `organisation ${to} is not admitted`);
    if (to === caller.msp) throw new DomainError('INVALID', 'terms are between two organisations');
    const bytes = ctx.stub.getTransient().get(TERMS_TRANSIENT_KEY);
    if (!bytes)
      throw new DomainError('INVALID', `the terms go in the transient data as "${TERMS_TRANSIENT_KEY}"`);
    let parsed: unknown;
    try {
      parsed = fromBytes<unknown>(bytes);
    } catch {
      throw new DomainError('INVALID', 'terms must be JSON');
    }
    const doc = assertTermsDocument(parsed);
    const id = store.txId();
    const key = store.key(KEY.terms, [id]);
    const document: TermsDocument = {
      purchaseOrder: doc.purchaseOrder,
      invoice: doc.invoice,
      unitPrice: doc.unitPrice,
      currency: doc.currency,
      salt: doc.salt,
    };
    for (const msp of [caller.msp, to])
      await ctx.stub.putPrivateData(implicitCollection(msp), key, toBytes(document));
    const hash = termsHash(document);
    await store.put(KEY.terms, [id], { from: caller.msp, to, termsHash: hash } satisfies TermsEntry);
    return { id, termsHash: hash };
  }

  @Transaction()
  @Returns('Shipment')
  async Create(ctx: Context, requestJson: string): Promise<Shipment> {
    const { store, caller } = await session(ctx);
    const input = parseJson<ShipmentRequest>(requestJson, 'shipment');
    requireText(input.to, 'to', 64);
    assertGln(String(input.toGln));
    const receiver = await store.find<Org>(KEY.org, [input.to]);
    if (!receiver) throw new DomainError('NOT_FOUND', `organisation ${input.to} is not admitted`);
    if (!receiver.glns.includes(input.toGln))
      throw new DomainError('INVALID', `GLN ${input.toGln} is not a location of ${input.to}`);
    if (input.to === caller.msp) throw new DomainError('INVALID', 'a shipment goes to another organisation');
    const goods = await loadGoods(store, input.units ?? [], input.containers ?? []);
    assertMovable(goods, caller.msp);
    const id = store.txId();
    const terms =
      input.termsId === undefined ? undefined : await this.#takeTerms(store, input, caller.msp, id);
    const now = store.now();
    const from: Party = { msp: caller.msp, gln: caller.gln };
    const to: Party = { msp: input.to, gln: input.toGln };
    const last = {
      type: 'SHIPPED',
      at: now,
      org: caller.msp,
      gln: caller.gln,
      user: caller.user,
      shipmentId: id,
    };
    // Goods reported missing and found again move on: the report stays in the ledger's history.
    const ship = (item: Unit | Container): void =>
      void Object.assign(item, { shipmentId: id, missingInTransit: undefined, last });
    await saveGoods(ctx, store, goods, ship, [from.msp, to.msp]);
    const shipment: Shipment = {
      id,
      from,
      to,
      status: 'IN_TRANSIT',
      units: goods.units.map((u) => ({ gtin: u.gtin, serial: u.serial })),
      containers: goods.containers.map((c) => c.sscc),
      createdAt: now,
      updatedAt: now,
      ...(terms ? { termsHash: terms.termsHash, termsId: input.termsId } : {}),
    };
    await store.put(KEY.shipment, [id], shipment);
    await store.index(KEY.shipmentByOrg, [from.msp, 'out', id]);
    await store.index(KEY.shipmentByOrg, [to.msp, 'in', id]);
    await this.#record(ctx, store, goods, {
      type: 'SHIPPED',
      at: now,
      org: caller.msp,
      gln: caller.gln,
      user: caller.user,
      txId: id,
      shipmentId: id,
      to,
    });
    return shipment;
  }

  @Transaction()
  @Returns('Shipment')
  async Receive(ctx: Context, id: string): Promise<Shipment> {
    return this.#close(ctx, id, 'RECEIVE', '');
  }

  /**
   * Receives against what the receiver scanned (SSCCs or pack codes). A match receives as Receive does. A
   * mismatch is refused unless accepted: then what was scanned is received, what is missing stays with the
   * sender marked missing in transit (taken out of any case it was in), and every missing or unexpected code
   * is an alert for the regulator.
   */
  @Transaction()
  @Returns('Shipment')
  async ReceiveScanned(ctx: Context, id: string, receiptJson: string): Promise<Shipment> {
    const { store, caller } = await session(ctx);
    const shipment = await getShipment(store, id);
    refuse(shipmentActionRefusal(caller, shipment, 'RECEIVE'));
    nextShipmentStatus(shipment.status, 'RECEIVE');
    const input = parseJson<ReceiptRequest>(receiptJson, 'receipt');
    const { items, placed } = await expandShipment(store, shipment);
    const { missingItems, ...report } = compareManifest(items, scanKeys(input.scanned));
    if (!hasDiscrepancy(report)) return this.#close(ctx, id, 'RECEIVE', '', { report, missing: new Set() });
    if (input.acceptDiscrepancies !== true) {
      throw new DomainError(
        'CONFLICT',
        `shipment ${id} does not match the scan: ${report.missing.length} missing, ` +
          `${report.unexpected.length} unexpected`,
      );
    }
    const missing: Goods = { units: [], containers: [] };
    const atTop = new Set<string>();
    for (const { code } of missingItems) {
      const place = placed.get(code) as Placement;
      if (!place.parent) atTop.add(code);
      else if (place.unit)
        await store.remove(KEY.content, [place.parent, 'u', place.unit.gtin, place.unit.serial]);
      else await store.remove(KEY.content, [place.parent, 'c', place.sscc as string]);
      if (place.unit) missing.units.push(await getUnit(store, place.unit.gtin, place.unit.serial));
      else missing.containers.push(await getContainer(store, place.sscc as string));
    }
    const last = {
      type: 'MISSING_IN_TRANSIT',
      at: store.now(),
      org: caller.msp,
      gln: caller.gln,
      shipmentId: id,
    };
    const { from } = shipment;
    const stay = (item: Unit | Container): void =>
      void Object.assign(item, {
        parent: undefined,
        shipmentId: undefined,
        custodian: from,
        missingInTransit: id,
        last,
      });
    await saveGoods(ctx, store, missing, stay, [from.msp]);
    await recordReceiptAlerts(store, caller, id, report);
    return this.#close(ctx, id, 'RECEIVE', '', { report, missing: atTop });
  }

  @Transaction()
  @Returns('Shipment')
  async Reject(ctx: Context, id: string, reason: string): Promise<Shipment> {
    return this.#close(ctx, id, 'REJECT', requireText(reason, 'reason', REASON_MAX_LENGTH));
  }

  @Transaction()
  @Returns('Shipment')
  async Cancel(ctx: Context, id: string): Promise<Shipment> {
    return this.#close(ctx, id, 'CANCEL', '');
  }

  @Transaction(false)
  @Returns('Shipment')
  async Get(ctx: Context, id: string): Promise<Shipment> {
    const { store, caller } = await session(ctx);
    const shipment = await getShipment(store, id);
    refuse(shipmentReadRefusal(caller, shipment));
    return shipment;
  }

  @Transaction(false)
  @Returns('TermsDocument')
  async Terms(ctx: Context, id: string): Promise<TermsDocument> {
    const { store, caller } = await session(ctx);
    const shipment = await getShipment(store, id);
    if (![shipment.from.msp, shipment.to.msp].includes(caller.msp))
      throw new DomainError('FORBIDDEN', `only the sender and the receiver see the terms of shipment ${id}`);
    if (!shipment.termsId) throw new DomainError('NOT_FOUND', `shipment ${id} has no terms`);
    const bytes = await ctx.stub.getPrivateData(
      implicitCollection(caller.msp),
      store.key(KEY.terms, [shipment.termsId]),
    );
    if (!bytes || bytes.length === 0)
      throw new DomainError(
        'NOT_FOUND',
        `the terms of shipment ${id} are not in ${caller.msp}'s private data`,
      );
    return fromBytes<TermsDocument>(bytes);
  }

  @Transaction(false)
  @Returns('ShipmentManifest')
  async Manifest(ctx: Context, id: string): Promise<ShipmentManifest> {
    const shipment = await this.Get(ctx, id);
    const { store } = await session(ctx);
    return { id, items: (await expandShipment(store, shipment)).items };
  }

  /** The caller organisation's shipments, newest first; direction 'incoming', 'outgoing' or '' for both. */
  @Transaction(false)
  @Returns('Shipment[]')
  async List(ctx: Context, direction: string, status: string): Promise<Shipment[]> {
    const { store, caller } = await session(ctx);
    if (!['incoming', 'outgoing', ''].includes(direction))
      throw new DomainError('INVALID', 'direction must be incoming or outgoing');
    if (status && !(SHIPMENT_STATUSES as readonly string[]).includes(status)) {
      throw new DomainError('INVALID', `status must be one of ${SHIPMENT_STATUSES.join(', ')}`);
    }
    const partial = direction === '' ? [caller.msp] : [caller.msp, direction === 'incoming' ? 'in' : 'out'];
    const shipments: Shipment[] = [];
    for await (const { attrs } of store.entries(KEY.shipmentByOrg, partial)) {
      const shipment = await getShipment(store, attrs[2]);
      if (!status || shipment.status === status) shipments.push(shipment);
    }
    shipments.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
    return shipments.slice(0, MAX_SHIPMENT_LIST);
  }

  /** Settles a shipment; a receipt against a scan leaves out the items missing at its top level. */
  async #close(
    ctx: Context,
    id: string,
    action: ShipmentAction,
    reason: string,
    receipt?: { report: ReceiptReport; missing: ReadonlySet<string> },
  ): Promise<Shipment> {
    const { store, caller } = await session(ctx);
    const shipment = await getShipment(store, id);
    refuse(shipmentActionRefusal(caller, shipment, action));
    const status = nextShipmentStatus(shipment.status, action);
    const arrived = (code: string): boolean => !receipt?.missing.has(code);
    const units = shipment.units.filter((u) => arrived(packCode(u.gtin, u.serial)));
    const containers = shipment.containers.filter((sscc) => arrived(ssccCode(sscc)));
    const goods: Goods =
      units.length + containers.length > 0
        ? await loadGoods(store, units, containers)
        : { units: [], containers: [] };
    const custodian = action === 'RECEIVE' ? shipment.to : shipment.from;
    const now = store.now();
    const type: EventType =
      status === 'RECEIVED' ? 'RECEIVED' : status === 'REJECTED' ? 'REJECTED' : 'CANCELLED';
    const last = { type, at: now, org: caller.msp, gln: caller.gln, user: caller.user, shipmentId: id };
    await saveGoods(
      ctx,
      store,
      goods,
      (item) => Object.assign(item, { shipmentId: undefined, custodian, last }),
      [custodian.msp],
    );
    const updated: Shipment = {
      ...shipment,
      status,
      updatedAt: now,
      ...(reason ? { reason } : {}),
      ...(receipt ? { receipt: receipt.report } : {}),
    };
    await store.put(KEY.shipment, [id], updated);
    await this.#record(ctx, store, goods, {
      type,
      at: now,
      org: caller.msp,
      gln: caller.gln,
      user: caller.user,
      txId: store.txId(),
      shipmentId: id,
      from: shipment.from,
      to: shipment.to,
    });
    return updated;
  }

  /** The terms record a new shipment takes: recorded by its sender for its receiver, and not taken before. */
  async #takeTerms(
    store: Store,
    input: ShipmentRequest,
    sender: string,
    shipmentId: string,
  ): Promise<TermsEntry> {
    const termsId = requireText(input.termsId, 'termsId', 64);
    const entry = await store.get<TermsEntry>(KEY.terms, [termsId], `terms ${termsId}`);
    if (entry.from !== sender || entry.to !== input.to)
      throw new DomainError('FORBIDDEN', `terms ${termsId} were not recorded by ${sender} for ${input.to}`);
    if (entry.shipmentId)
      throw new DomainError('CONFLICT', `terms ${termsId} belong to shipment ${entry.shipmentId}`);
    await store.put(KEY.terms, [termsId], { ...entry, shipmentId } satisfies TermsEntry);
    return entry;
  }

  async #record(ctx: Context, store: Store, goods: Goods, event: LedgerEvent): Promise<void> {
    for (const c of goods.containers) await recordContainerEvent(store, c.sscc, { ...event, sscc: c.sscc });
    await recordPerBatch(store, goods.units, event);
    emit(ctx, {
      ...event,
      serialCount: goods.units.length,
      sscc: goods.containers.length === 1 ? goods.containers[0].sscc : undefined,
    });
  }
}
