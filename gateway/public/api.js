// DrugTrace pages: the one module for talking to the gateway (/v1, API key in sessionStorage), showing
// problem+json errors in plain words, the shared header and navigation, and small GS1 helpers.

const KEY_STORAGE = 'drugtrace.apiKey';

export const getKey = () => sessionStorage.getItem(KEY_STORAGE) ?? '';
export const setKey = (key) => sessionStorage.setItem(KEY_STORAGE, key.trim());
export const clearKey = () => sessionStorage.removeItem(KEY_STORAGE);

/** An error the gateway answered with (problem+json), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

async function request(method, path, { body, form, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const key = getKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, {
      title: 'Gateway unreachable',
      detail: 'The DrugTrace gateway could not be reached.',
    });
  }
  if (!response.ok) {
    let problem;
    try {
      problem = await response.json();
    } catch {
      problem = { title: response.statusText, detail: '' };
    }
    throw new ApiError(response.status, problem, response.headers.get('Retry-After'));
  }
  return response;
}

/** JSON calls: `api.get('/v1/...')`, `api.post('/v1/...', body)`. */
export const api = {
  async get(path) {
    return (await request('GET', path)).json();
  },
  async post(path, body = {}) {
    return (await request('POST', path, { body })).json();
  },
  async del(path) {
    const response = await request('DELETE', path);
    return response.status === 204 ? {} : response.json();
  },
  async upload(path, field, blob, filename) {
    const form = new FormData();
    form.append(field, blob, filename);
    return (await request('POST', path, { form })).json();
  },
  /** A file (label sheet, EPCIS export) as a Blob: needs the Authorization header, so no plain link. */
  async blob(path, accept) {
    return (await request('GET', path, { accept })).blob();
  },
};

/** The problem, in words a pharmacist or inspector can act on. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return `Something went wrong in this page: ${error.message}`;
  const p = error.problem;
  const detail = p.detail ? ` ${sentence(p.detail)}` : '';
  switch (error.status) {
    case 0:
      return 'The DrugTrace gateway could not be reached. Check the network connection and try again.';
    case 400: {
      let text = `That was not accepted.${detail}`;
      if (p.ai)
        text += ` (GS1 field (${p.ai})${p.position !== undefined ? ` at character ${p.position}` : ''}.)`;
      for (const e of p.errors ?? []) text += ` ${e.field}: ${e.messages.join(', ')}.`;
      return text;
    }
    case 401:
      return 'Your API key is missing or was not recognised. Sign in with your organisation’s API key.';
    case 403:
      return `Your organisation is not allowed to do this.${detail}`;
    case 404:
      return `Not found.${detail}`;
    case 409:
      return `The ledger refused this because of the current state.${detail}`;
    case 413:
      return `That is too large to be accepted.${detail}`;
    case 422:
      return `That could not be read.${detail}`;
    case 429:
      return 'Too many requests. Wait a moment and try again.';
    case 503: {
      const when = error.retryAfter ? ` in ${error.retryAfter} seconds` : ' shortly';
      if (p.code === 'BUSY') return `The gateway is busy right now. Try again${when}.`;
      return `The ledger network is unavailable right now. Try again${when}.`;
    }
    default:
      return `The gateway could not do this (${error.status}).${detail}`;
  }
}

const sentence = (s) => {
  const t = String(s).trim();
  return t ? t[0].toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.') : '';
};

/** Shows a message in a page's message area (role=alert for errors, role=status otherwise). */
export function showMessage(target, text, kind = 'error') {
  const el = typeof target === 'string' ? document.getElementById(target) : target;
  el.hidden = !text;
  el.className = `message message-${kind}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  el.textContent = text;
}

export const showError = (target, error) => showMessage(target, describeError(error), 'error');

/** Runs an async action from a button or form, disabling it meanwhile and reporting failures. */
export async function busy(control, messageTarget, action) {
  if (control) control.disabled = true;
  if (messageTarget) showMessage(messageTarget, '');
  try {
    return await action();
  } catch (error) {
    if (messageTarget) showError(messageTarget, error);
    else throw error;
  } finally {
    if (control) control.disabled = false;
  }
}

// --- DOM helpers -------------------------------------------------------------------------------

/** `h('td', {class: 'x'}, 'text', child)`; strings become text nodes, so nothing is ever parsed as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof window.Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

export function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso) {
  if (!iso) return '—';
  const d = new Date(`${iso}T00:00:00`);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** Offers a Blob as a download link inside `container` (replacing what was there). */
export function offerDownload(container, blob, filename, label) {
  container.replaceChildren();
  const url = URL.createObjectURL(blob);
  const kb = Math.max(1, Math.round(blob.size / 1024));
  container.append(
    h('a', { href: url, download: filename, class: 'button download' }, `${label} (${kb} KB)`),
  );
  return url;
}

// --- words for codes ---------------------------------------------------------------------------

export const REASON_TEXT = {
  UNKNOWN_PRODUCT: 'This product (GTIN) was never registered by any manufacturer. Likely counterfeit.',
  UNKNOWN_SERIAL: 'No pack with this serial number was ever made. Likely counterfeit.',
  LOT_MISMATCH: 'The batch number printed on the pack does not match the manufacturer’s record.',
  EXPIRY_MISMATCH: 'The expiry date printed on the pack does not match the manufacturer’s record.',
  EXPIRED: 'This pack is past its expiry date.',
  RECALLED: 'This batch has been recalled. Do not supply it.',
  QUARANTINED: 'This batch is on hold (quarantined) while it is investigated. Do not supply it.',
  ALREADY_DISPENSED: 'This pack was already dispensed. Seeing it again means the code may be a copy.',
  DESTROYED: 'This pack was reported destroyed.',
  STOLEN: 'This pack was reported stolen.',
  SAMPLE: 'This pack was taken as a sample.',
  EXPORTED: 'This pack was exported out of this market.',
  IN_TRANSIT: 'This pack is still in transit: nobody has received it yet.',
  NOT_IN_CUSTODY: 'The ledger places this pack at another organisation or location, not here.',
  CLONE_SUSPECTED: 'The same code was scanned at several places in a short time: possible copied code.',
};

export const reasonText = (code) => REASON_TEXT[code] ?? code;

export const EVENT_TEXT = {
  COMMISSIONED: 'Made and serialised',
  PACKED: 'Packed into a case or pallet',
  UNPACKED: 'Unpacked',
  SHIPPED: 'Shipped',
  RECEIVED: 'Received',
  REJECTED: 'Shipment rejected',
  CANCELLED: 'Shipment cancelled',
  DISPENSED: 'Dispensed to a patient',
  DISPENSE_UNDONE: 'Dispense undone',
  STATUS_CHANGED: 'Status changed',
  RECALLED: 'Batch recalled',
  QUARANTINED: 'Batch quarantined',
  RELEASED: 'Batch released',
  ALERT: 'Alert raised',
};

/** A custody timeline (GET /v1/units/{gtin}/{serial}/history) as an ordered list, oldest first. */
export function renderTimeline(events, { technical = false } = {}) {
  if (!events.length) return h('p', {}, 'No recorded events.');
  return h(
    'ol',
    { class: 'timeline' },
    events.map((e) =>
      h(
        'li',
        { class: `timeline-step step-${String(e.type).toLowerCase()}` },
        h('strong', {}, EVENT_TEXT[e.type] ?? e.type),
        ' ',
        h('span', { class: 'muted' }, `(${e.type})`),
        h('br'),
        h('time', { datetime: e.at }, formatTime(e.at)),
        ' · ',
        `${e.org} at GLN ${e.gln}`,
        e.shipmentId ? ` · shipment ${shortId(e.shipmentId)}` : '',
        e.sscc ? ` · container ${e.sscc}` : '',
        technical || e.txId
          ? h(
              'div',
              { class: 'tx' },
              'Transaction ',
              h('code', { class: 'txid' }, e.txId ?? '—'),
              ' · block ',
              h('code', { class: 'block' }, e.blockNumber ?? '—'),
            )
          : '',
      ),
    ),
  );
}

export const shortId = (id) => (id && id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-6)}` : (id ?? ''));

// --- GS1 helpers (for building lists of goods; the ledger re-checks everything) ------------------

export const GS = '\u001d';

/** Turns what a scanner or a person typed into the raw code: visible GS placeholders become ASCII 29. */
export function normalizeScan(text) {
  return text.replace(/<GS>|\{GS\}|\\x1d|\u241d/gi, GS).replace(/^[\s\r\n]+|[\s\r\n]+$/g, '');
}

export function gs1CheckDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

export const hasValidCheckDigit = (s, length) =>
  new RegExp(`^\\d{${length}}$`).test(s) && gs1CheckDigit(s.slice(0, -1)) === Number(s.slice(-1));

const FIXED = { '00': 18, '01': 14, '02': 14, 11: 6, 12: 6, 13: 6, 15: 6, 16: 6, 17: 6, 20: 2 };

/**
 * Reads the identifiers out of one scanned line, just enough to list goods: {gtin, serial, lot} of a
 * pack or {sscc} of a case or pallet. Accepts Digital Link URIs, (AI) element strings, raw GS-separated
 * payloads (with or without ]d2 / ]Q3), a bare 18-digit SSCC, or "GTIN SERIAL". Returns null if unreadable.
 */
export function readIdentifiers(line) {
  const text = normalizeScan(line);
  if (!text) return null;
  if (/^\d{18}$/.test(text)) return { sscc: text };
  const pair = /^(\d{14})\s+(\S{1,20})$/.exec(text);
  if (pair) return { gtin: pair[1], serial: pair[2] };
  const ais = {};
  if (/^https?:\/\//i.test(text)) {
    let url;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    const parts = url.pathname.split('/').filter(Boolean);
    for (let i = 0; i + 1 < parts.length; i += 2) {
      if (/^\d{2,4}$/.test(parts[i])) ais[parts[i]] = decodeURIComponent(parts[i + 1]);
    }
  } else if (text.startsWith('(')) {
    const re = /\((\d{2,4})\)([^(]*)/g;
    let m;
    while ((m = re.exec(text))) ais[m[1]] = m[2].trim();
  } else {
    let rest = text.replace(/^\][A-Za-z]\d/, '');
    while (rest.length) {
      rest = rest.replace(new RegExp(`^${GS}+`), '');
      const ai = rest.slice(0, 2);
      if (!/^\d\d$/.test(ai)) return null;
      if (FIXED[ai]) {
        ais[ai] = rest.slice(2, 2 + FIXED[ai]);
        rest = rest.slice(2 + FIXED[ai]);
      } else {
        const end = rest.indexOf(GS);
        ais[ai] = end < 0 ? rest.slice(2) : rest.slice(2, end);
        rest = end < 0 ? '' : rest.slice(end + 1);
      }
    }
  }
  if (ais['00']) return { sscc: ais['00'] };
  if (ais['01'] && ais['21']) return { gtin: ais['01'], serial: ais['21'], lot: ais['10'] };
  if (ais['01'] && ais['10']) return { gtin: ais['01'], lot: ais['10'] };
  return null;
}

// --- live events (SSE over fetch, so the Authorization header can be sent) -----------------------

/**
 * Follows GET /v1/events. EventSource cannot send headers, so the stream is read with fetch; reconnects
 * with Last-Event-ID after an interruption. Returns a function that stops it.
 */
export function followEvents(path, onEvent, onState = () => {}) {
  let stopped = false;
  let lastId = '';
  let controller;
  const decoder = new window.TextDecoder();
  const run = async () => {
    while (!stopped) {
      controller = new window.AbortController();
      try {
        const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${getKey()}` };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const response = await fetch(path, { headers, signal: controller.signal });
        if (!response.ok) {
          let problem = {};
          try {
            problem = await response.json();
          } catch {
            // not problem+json
          }
          const error = new ApiError(response.status, problem, response.headers.get('Retry-After'));
          onState('error', error);
          if (response.status === 401 || response.status === 403) return;
        } else {
          onState('open');
          const reader = response.body.getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const event = { type: 'message', data: '', id: '' };
              for (const line of block.split('\n')) {
                const colon = line.indexOf(':');
                if (colon === 0) continue;
                const field = colon < 0 ? line : line.slice(0, colon);
                const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
                if (field === 'event') event.type = value;
                else if (field === 'data') event.data += (event.data ? '\n' : '') + value;
                else if (field === 'id') event.id = value;
              }
              if (event.id) lastId = event.id;
              if (event.type === 'heartbeat') continue;
              let data = event.data;
              try {
                data = JSON.parse(event.data);
              } catch {
                // plain text data
              }
              onEvent({ ...event, data });
            }
          }
          onState('closed');
        }
      } catch (error) {
        if (stopped) return;
        onState('error', error);
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  };
  void run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

// --- shared header: navigation and sign-in --------------------------------------------------------

const PAGES = [
  ['index.html', 'Scan'],
  ['manufacturer.html', 'Manufacturer'],
  ['shipments.html', 'Shipments'],
  ['regulator.html', 'Regulator'],
];

/** Renders the header (brand, navigation, sign-in) into #site-header; `onChange` runs after sign-in/out. */
export function initPage(onChange = () => {}) {
  const header = $('site-header');
  const here = window.location.pathname.split('/').pop() || 'index.html';
  const nav = h(
    'nav',
    { 'aria-label': 'Pages' },
    h(
      'ul',
      {},
      PAGES.map(([href, label]) =>
        h('li', {}, h('a', { href: `/${href}`, 'aria-current': href === here ? 'page' : undefined }, label)),
      ),
    ),
  );
  const account = h('div', { class: 'account' });
  header.replaceChildren(
    h(
      'a',
      { class: 'brand', href: '/' },
      h('span', { 'aria-hidden': 'true', class: 'logo' }, '✚'),
      ' DrugTrace',
    ),
    nav,
    account,
  );
  const render = () => {
    const key = getKey();
    if (key) {
      const who = h('span', { class: 'signed-in' }, 'Signed in · key …', h('code', {}, key.slice(-4)));
      // Name the organisation, role and location the key signs as; a key the gateway does not know signs out.
      api.get('/v1/me').then(
        (me) =>
          who.replaceChildren('Signed in as ', h('strong', {}, me.mspId), ` · ${me.role} · GLN ${me.gln}`),
        (error) => {
          if (error instanceof ApiError && error.status === 401) {
            clearKey();
            render();
            onChange(false);
          }
        },
      );
      account.replaceChildren(
        who,
        h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            id: 'sign-out',
            onclick: () => {
              clearKey();
              render();
              onChange(false);
            },
          },
          'Sign out',
        ),
      );
    } else {
      const input = h('input', {
        id: 'api-key',
        name: 'api-key',
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        placeholder: 'API key',
        'aria-describedby': 'api-key-help',
      });
      account.replaceChildren(
        h(
          'form',
          {
            class: 'sign-in',
            id: 'sign-in',
            onsubmit: (event) => {
              event.preventDefault();
              if (!input.value.trim()) return;
              setKey(input.value);
              render();
              onChange(true);
            },
          },
          h('label', { for: 'api-key' }, 'API key'),
          input,
          h('button', { type: 'submit', class: 'small' }, 'Sign in'),
          h(
            'span',
            { id: 'api-key-help', class: 'visually-hidden' },
            'Your organisation’s DrugTrace API key. It is kept only for this browser tab.',
          ),
        ),
      );
    }
  };
  render();
  return { signedIn: () => Boolean(getKey()) };
}

/** Puts the keyboard focus on an element that shows a new result, so screen readers read it. */
export function focusResult(el) {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: false });
}
