// Scan page: verify a pack (typed, pasted, USB scanner, camera frame or photo), show the verdict,
// the custody chain, and let a pharmacy dispense or undo a dispense.
import {
  $,
  api,
  busy,
  describeError,
  formatDate,
  h,
  initPage,
  normalizeScan,
  renderTimeline,
  showError,
  showMessage,
  whoAmI,
} from './api.js';
import { GS, mayDispense, mayUndoDispense, reasonText } from './vendor/domain.js';

const VERDICT = {
  GENUINE: { icon: '✓', sub: 'Registered pack in the regular supply chain. You may supply it.' },
  SUSPECT: { icon: '!', sub: 'Do not supply this pack. Set it aside and check the reasons below.' },
  COUNTERFEIT: {
    icon: '✕',
    sub: 'This code was never issued by a registered manufacturer. Quarantine the pack and report it.',
  },
};

let current = null; // { gtin, serial, verdict, state, lot, expiry, batchStatus }

initPage(() => resetResult());

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
    showMessage('scan-message', 'Scan or type the code on the pack first.');
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
    h('p', { class: 'muted', id: 'verdict-placeholder' }, 'Scan a pack to see whether it is genuine.'),
  );
  $('pack').hidden = true;
}

function renderPending() {
  $('verdict-live').replaceChildren(h('p', { class: 'muted' }, 'Checking the ledger…'));
}

async function renderResult(result) {
  const verdict = result.verdict;
  const look = VERDICT[verdict] ?? VERDICT.SUSPECT;
  const reasons = result.reasons ?? [];
  $('verdict-live').replaceChildren(
    h(
      'div',
      { class: `verdict verdict-${verdict.toLowerCase()}`, id: 'verdict', 'data-verdict': verdict },
      h(
        'div',
        { class: 'verdict-head' },
        h('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, look.icon),
        h(
          'div',
          {},
          h('div', { class: 'verdict-word' }, verdict),
          h('p', { class: 'verdict-sub' }, look.sub),
        ),
      ),
      reasons.length
        ? h(
            'ul',
            { id: 'reasons', 'aria-label': 'Reasons' },
            reasons.map((r) => h('li', { 'data-reason': r }, reasonText(r))),
          )
        : '',
    ),
  );

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
  const row = (label, ...value) => [h('dt', {}, label), h('dd', {}, ...value)];
  facts.replaceChildren(
    ...row(
      'Product',
      product
        ? `${product.name}${product.strength ? `, ${product.strength}` : ''}${product.dosageForm ? ` (${product.dosageForm})` : ''}`
        : 'Unknown product',
    ),
    ...(product?.genericName ? row('Generic name', product.genericName) : []),
    ...(product?.manufacturer ? row('Manufacturer', product.manufacturer) : []),
    ...row('GTIN', h('code', {}, code.gtin ?? '—')),
    ...row('Lot', h('span', { id: 'fact-lot' }, code.lot ?? batch?.lot ?? '—')),
    ...row('Expiry', h('span', { id: 'fact-expiry' }, formatDate(code.expiry ?? batch?.expiry))),
    ...row('Serial', h('code', {}, code.serial ?? '—')),
    ...(batch?.status ? row('Batch status', badge(batch.status)) : []),
    ...row('Pack state', unit ? badge(unit.state, 'fact-state') : 'Not on the ledger'),
    ...(unit?.custodian ? row('Held by', `${unit.custodian.msp} at GLN ${unit.custodian.gln}`) : []),
  );
  $('pack').hidden = false;
  showMessage('action-message', '');
  await updateButtons();
  await loadHistory();
}

const badge = (value, id) =>
  h('span', { class: `badge badge-${String(value).toLowerCase()}`, id }, String(value).replace(/_/g, ' '));

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
  if (!current?.gtin || !current.serial || !current.state) {
    target.replaceChildren(h('p', { class: 'muted' }, 'No custody record: this pack is not on the ledger.'));
    return;
  }
  try {
    const { events } = await api.get(
      `/v1/units/${encodeURIComponent(current.gtin)}/${encodeURIComponent(current.serial)}/history`,
    );
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
      stateEl.textContent = current.state;
      stateEl.className = `badge badge-${current.state.toLowerCase()}`;
    }
    showMessage(
      'action-message',
      action === 'dispense'
        ? 'Dispensed. The ledger now records this pack as supplied to a patient.'
        : 'Dispense undone. The pack is back in your stock.',
      'ok',
    );
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
    showMessage(
      'scan-message',
      'This browser cannot use the camera here (it needs HTTPS or localhost). Upload a photo instead.',
    );
    return;
  }
  showMessage('scan-message', '');
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (error) {
    showMessage('scan-message', `The camera could not be started (${error.name}). Upload a photo instead.`);
    return;
  }
  video.srcObject = stream;
  await video.play().catch(() => undefined);
  $('camera').hidden = false;
  $('camera-start').hidden = true;
  $('camera-stop').hidden = false;
  cameraStatus('Hold the code on the pack steady in front of the camera…');
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
        stopCamera('Code read.');
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
$('camera-stop').addEventListener('click', () => stopCamera('Camera stopped.'));
window.addEventListener('pagehide', () => stopCamera());
