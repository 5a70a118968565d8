// Scan page: verify a pack (typed, pasted, USB scanner, camera frame or photo), show the verdict,
// the custody chain (and its journey as a diagram), and let a pharmacy dispense or undo a dispense.
import {
  $,
  api,
  busy,
  codeText,
  describeError,
  formatDate,
  getKey,
  h,
  initPage,
  normalizeScan,
  renderTimeline,
  showError,
  showMessage,
  whoAmI,
} from './api.js';
import { clearChart, journeyChart } from './charts.js';
import { language, t } from './i18n.js';
import { recallNotices } from './recall-notices.js';
import { GS, mayDispense, mayUndoDispense, reasonText } from './vendor/domain.js';

const ICON = { GENUINE: '✓', SUSPECT: '!', COUNTERFEIT: '✕' };

let current = null; // { gtin, serial, verdict, state, lot, expiry, batchStatus }
let receiptUrl = null; // the object URL of the shown receipt's file, released when the next one replaces it

const notices = recallNotices($('notices'));
initPage((signedIn) => {
  resetResult();
  notices.follow(signedIn);
});
notices.follow(Boolean(getKey()));

const codeInput = $('code');

// A USB scanner sends FNC1 as ASCII 29 (GS). Depending on its set-up that arrives as the character
// itself or as Ctrl+]; either way keep it in the field instead of letting the browser drop it.
codeInput.addEventListener('keydown', (event) => {
  const isGs = event.key === GS || (event.ctrlKey && (event.key === ']' || event.code === 'BracketRight'));
  if (!isGs) return;
  event.preventDefault();
  const { selectionStart: start, selectionEnd: end, value } = codeInput;
  codeInput.value = value.slice(0, start) + GS + value.slice(end);
  codeInput.setSelectionRange(start + 1, start + 1);
});

$('scan-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const code = normalizeScan(codeInput.value);
  if (!code) {
    showMessage('scan-message', t('scan.empty'));
    codeInput.focus();
    return;
  }
  void busy($('verify'), 'scan-message', async () => {
    renderPending();
    const result = await api.post('/v1/verify', { code });
    await renderResult(result);
  }).finally(() => {
    codeInput.focus();
    codeInput.select();
  });
});

function resetResult() {
  current = null;
  $('verdict-live').replaceChildren(
    h('p', { class: 'muted', id: 'verdict-placeholder' }, t('scan.placeholder')),
  );
  $('pack').hidden = true;
  $('receipt').hidden = true;
}

function renderPending() {
  $('verdict-live').replaceChildren(h('p', { class: 'muted' }, t('scan.checking')));
}

async function renderResult(result) {
  const verdict = ICON[result.verdict] ? result.verdict : 'SUSPECT';
  const reasons = result.reasons ?? [];
  const batchStatus = result.batch?.status;
  $('verdict-live').replaceChildren(
    h(
      'div',
      { class: `verdict verdict-${verdict.toLowerCase()}`, id: 'verdict', 'data-verdict': verdict },
      h(
        'div',
        { class: 'verdict-head' },
        h('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, ICON[verdict]),
        h(
          'div',
          {},
          h('div', { class: 'verdict-word' }, t(`verdict.${verdict}`)),
          h('p', { class: 'verdict-sub' }, t(`verdict.${verdict}.sub`)),
        ),
      ),
      reasons.length
        ? h(
            'ul',
            { id: 'reasons', 'aria-label': t('scan.reasons') },
            reasons.map((r) => h('li', { 'data-reason': r }, reasonText(r, language))),
          )
        : '',
      recallNotice(batchStatus, result.batch?.statusReason),
      result.hints?.length
        ? h(
            'div',
            { id: 'hints' },
            h('p', { class: 'verdict-sub' }, t('scan.hintsIntro')),
            h(
              'ul',
              { 'aria-label': t('scan.hintsLabel') },
              result.hints.map((hint) => h('li', { 'data-hint': hint.code }, hint.text)),
            ),
          )
        : '',
    ),
  );
  renderReceipt(result);

  // On a phone the result sits below the scanner: bring the verdict into view (focus stays in the field,
  // so the next scan still lands there).
  $('verdict').scrollIntoView({ block: 'nearest', behavior: 'smooth' });

  const code = result.code ?? {};
  const product = result.product;
  const batch = result.batch;
  const unit = result.unit;
  current = {
    gtin: code.gtin,
    serial: code.serial,
    verdict,
    state: unit?.state,
    lot: unit?.lot,
    expiry: unit?.expiry,
    batchStatus: batch?.status,
  };
  const facts = $('pack-facts');
  const row = (key, ...value) => [h('dt', {}, t(key)), h('dd', {}, ...value)];
  facts.replaceChildren(
    ...row(
      'fact.product',
      product
        ? `${product.name}${product.strength ? `, ${product.strength}` : ''}${product.dosageForm ? ` (${product.dosageForm})` : ''}`
        : t('fact.unknownProduct'),
    ),
    ...(product?.genericName ? row('fact.generic', product.genericName) : []),
    ...(product?.manufacturer ? row('fact.manufacturer', product.manufacturer) : []),
    ...row('fact.gtin', h('code', {}, code.gtin ?? '—')),
    ...row('fact.lot', h('span', { id: 'fact-lot' }, code.lot ?? batch?.lot ?? '—')),
    ...row('fact.expiry', h('span', { id: 'fact-expiry' }, formatDate(code.expiry ?? batch?.expiry))),
    ...row('fact.serial', h('code', {}, code.serial ?? '—')),
    ...(batch?.status ? row('fact.batchStatus', badge('status', batch.status)) : []),
    ...row('fact.state', unit ? badge('state', unit.state, 'fact-state') : t('fact.notOnLedger')),
    ...(unit?.custodian
      ? row('fact.heldBy', t('fact.heldAt', { msp: unit.custodian.msp, gln: unit.custodian.gln }))
      : []),
  );
  $('pack').hidden = false;
  showMessage('action-message', '');
  await updateButtons();
  await loadHistory();
}

const badge = (prefix, value, id) =>
  h('span', { class: `badge badge-${String(value).toLowerCase()}`, id }, codeText(prefix, value));

/** A recalled or quarantined batch: the reason its manufacturer or the regulator gave, and what to do. */
function recallNotice(status, reason) {
  if (status !== 'RECALLED' && status !== 'QUARANTINED') return '';
  return h(
    'div',
    { class: 'recall-notice', id: 'recall-notice' },
    reason ? h('p', {}, h('strong', {}, t('scan.recall', { reason }))) : '',
    h('p', {}, t(status === 'RECALLED' ? 'scan.recallTodo' : 'scan.quarantineTodo')),
  );
}

/**
 * The signed receipt of this answer, to keep: a file to download and a QR code to photograph, so the pharmacy
 * can prove later what the ledger told it (anyone checks it against /.well-known/jwks.json).
 */
function renderReceipt(result) {
  const target = $('receipt');
  if (receiptUrl) URL.revokeObjectURL(receiptUrl);
  receiptUrl = null;
  if (!result.receipt) {
    target.hidden = true;
    return;
  }
  receiptUrl = URL.createObjectURL(new Blob([result.receipt], { type: 'application/jose' }));
  const name = `receipt-${result.code?.gtin ?? 'pack'}-${result.code?.serial ?? ''}.jws`.replace(
    /[^\w.-]/g,
    '_',
  );
  const qr = h('img', { id: 'receipt-qr', alt: t('receipt.qrAlt'), width: '200' });
  target.replaceChildren(
    h('h3', {}, t('receipt.title')),
    h('p', { class: 'hint' }, t('receipt.help')),
    h('a', { id: 'receipt-download', href: receiptUrl, download: name }, t('receipt.download')),
    qr,
  );
  target.hidden = false;
  api
    .postText('/v1/receipts/qr', { receipt: result.receipt })
    .then((svg) => (qr.src = `data:image/svg+xml,${encodeURIComponent(svg)}`))
    .catch(() => qr.remove());
}

/** Dispense and undo are offered as the domain's rules allow them to the signed-in organisation. */
async function updateButtons() {
  const me = await whoAmI().catch(() => undefined);
  const actor = me && { msp: me.mspId, role: me.role };
  const pack = current?.state ? current : undefined;
  const today = new Date().toISOString().slice(0, 10);
  $('dispense').hidden = !(
    actor &&
    pack?.verdict === 'GENUINE' &&
    mayDispense(actor, pack, pack.batchStatus, today)
  );
  $('undo-dispense').hidden = !(actor && pack && mayUndoDispense(actor, pack));
  $('pack-actions').hidden = $('dispense').hidden && $('undo-dispense').hidden;
}

async function loadHistory() {
  const target = $('history');
  clearChart($('journey'));
  if (!current?.gtin || !current.serial || !current.state) {
    target.replaceChildren(h('p', { class: 'muted' }, t('scan.noCustody')));
    return;
  }
  try {
    const { events } = await api.get(
      `/v1/units/${encodeURIComponent(current.gtin)}/${encodeURIComponent(current.serial)}/history`,
    );
    if (events.length) journeyChart($('journey'), events);
    target.replaceChildren(renderTimeline(events));
  } catch (error) {
    target.replaceChildren(h('p', { class: 'message message-error', role: 'alert' }, describeError(error)));
  }
}

async function changeDispense(action, button) {
  if (!current) return;
  await busy(button, 'action-message', async () => {
    const path = `/v1/units/${encodeURIComponent(current.gtin)}/${encodeURIComponent(current.serial)}/${action}`;
    const unit = await api.post(path);
    current.state = unit.state ?? (action === 'dispense' ? 'DISPENSED' : 'ACTIVE');
    const stateEl = $('fact-state');
    if (stateEl) {
      stateEl.textContent = codeText('state', current.state);
      stateEl.className = `badge badge-${current.state.toLowerCase()}`;
    }
    showMessage('action-message', t(action === 'dispense' ? 'scan.dispensed' : 'scan.undone'), 'ok');
    await updateButtons();
    await loadHistory();
  });
}

$('dispense').addEventListener('click', (e) => changeDispense('dispense', e.currentTarget));
$('undo-dispense').addEventListener('click', (e) => changeDispense('undo-dispense', e.currentTarget));

// --- photo upload (the gateway decodes the image, POST /v1/verify/image) and camera (decoded here) ---

const photo = $('photo');
$('photo-button').addEventListener('click', () => photo.click());
photo.addEventListener('change', () => {
  const file = photo.files?.[0];
  if (!file) return;
  void busy($('photo-button'), 'scan-message', async () => {
    renderPending();
    const result = await api.upload('/v1/verify/image', 'image', file, file.name);
    if (result.scanned) codeInput.value = result.scanned;
    await renderResult(result);
  }).finally(() => {
    photo.value = '';
  });
});

let stream = null;
let timer = null;
let inFlight = false;
const video = $('video');
const canvas = document.createElement('canvas');

function cameraStatus(text) {
  $('camera-status').textContent = text;
}

async function startCamera() {
  if (!navigator.mediaDevices?.getUserMedia) {
    showMessage('scan-message', t('camera.unsupported'));
    return;
  }
  showMessage('scan-message', '');
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (error) {
    showMessage('scan-message', t('camera.failed', { name: error.name }));
    return;
  }
  video.srcObject = stream;
  await video.play().catch(() => undefined);
  $('camera').hidden = false;
  $('camera-start').hidden = true;
  $('camera-stop').hidden = false;
  cameraStatus(t('camera.hold'));
  timer = setTimeout(grabFrame, 800);
}

function stopCamera(status = '') {
  if (timer) clearTimeout(timer);
  timer = null;
  stream?.getTracks().forEach((track) => track.stop());
  stream = null;
  video.srcObject = null;
  $('camera').hidden = true;
  $('camera-start').hidden = false;
  $('camera-stop').hidden = true;
  cameraStatus(status);
}

/**
 * The camera's frames are decoded here in the browser with zxing-wasm (QR and GS1 DataMatrix, served by the
 * gateway from the installed package): only the code's text travels, as if a scanner had typed it. GS1
 * content keeps its symbology identifier (]d2, ]Q3) in front of the element string, as a scanner sends it.
 */
let decoderReady = null;
function decoder() {
  decoderReady ??= window.ZXingWASM.prepareZXingModule({
    overrides: { locateFile: (file) => `/vendor/zxing-wasm/reader/${file}` },
    fireImmediately: true,
  }).then(() => window.ZXingWASM);
  return decoderReady;
}

async function readFrame() {
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(video, 0, 0);
  const zxing = await decoder();
  const [found] = await zxing.readBarcodes(context.getImageData(0, 0, canvas.width, canvas.height), {
    formats: ['QRCode', 'DataMatrix'],
    tryHarder: true,
    maxNumberOfSymbols: 1,
    textMode: 'Plain',
  });
  if (!found?.isValid || !found.text) return '';
  return found.contentType === 'GS1' ? `${found.symbologyIdentifier}${found.text}` : found.text;
}

async function grabFrame() {
  timer = null;
  if (!stream || inFlight) return;
  if (video.videoWidth) {
    inFlight = true;
    try {
      const code = await readFrame();
      if (code && stream) {
        stopCamera(t('camera.read'));
        codeInput.value = code;
        renderPending();
        await renderResult(await api.post('/v1/verify', { code }));
        return;
      }
    } catch (error) {
      stopCamera();
      showError('scan-message', error);
      return;
    } finally {
      inFlight = false;
    }
  }
  if (stream) timer = setTimeout(grabFrame, 300);
}

$('camera-start').addEventListener('click', () => void startCamera());
$('camera-stop').addEventListener('click', () => stopCamera(t('camera.stopped')));
window.addEventListener('pagehide', () => stopCamera());
