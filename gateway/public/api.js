// DrugTrace pages: the one module for talking to the gateway (/v1, API key in sessionStorage), showing
// problem+json errors in plain words, the shared header and navigation, and reading typed or scanned
// codes. GS1 rules and reason texts come from the domain, bundled by the gateway's build (vendor/domain.js).
import { chooseLanguage, language, t } from './i18n.js';
import { GS, isValidGtin, isValidSscc, LANGUAGES, parseCode } from './vendor/domain.js';

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
    throw new ApiError(0, { title: t('error.gatewayUnreachable'), detail: t('error.unreachable') });
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
  /** A POST whose answer is text (the receipt's QR code as SVG). */
  async postText(path, body = {}) {
    return (await request('POST', path, { body, accept: '*/*' })).text();
  },
  /** A file (label sheet, EPCIS export) as a Blob: needs the Authorization header, so no plain link. */
  async blob(path, accept) {
    return (await request('GET', path, { accept })).blob();
  },
};

/** The problem, in words a pharmacist or inspector can act on. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return t('error.page', { message: error.message });
  const p = error.problem;
  // The gateway's detail is the ledger's own wording (English): shown as it is, for support.
  const detail = p.detail ? ` ${sentence(p.detail)}` : '';
  switch (error.status) {
    case 0:
      return t('error.unreachable');
    case 400: {
      let text = t('error.400', { detail });
      if (p.ai) {
        const position = p.position !== undefined ? t('error.400.position', { position: p.position }) : '';
        text += t('error.400.ai', { ai: p.ai, position });
      }
      for (const e of p.errors ?? []) text += ` ${e.field}: ${e.messages.join(', ')}.`;
      for (const hint of p.hints ?? []) text += ` ${hint.text}`;
      return text;
    }
    case 401:
    case 429:
      return t(`error.${error.status}`);
    case 403:
    case 404:
    case 409:
    case 413:
    case 422:
      return t(`error.${error.status}`, { detail });
    case 503: {
      const when = error.retryAfter ? t('error.in', { seconds: error.retryAfter }) : t('error.shortly');
      return t(p.code === 'BUSY' ? 'error.busy' : 'error.503', { when });
    }
    default:
      return t('error.other', { status: error.status, detail });
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

/**
 * Lets a table of more than three columns be read as one card per row on a phone (styles.css, `table.stack`): each
 * body cell carries its column's name to show beside it; the roles keep it a table for screen readers while CSS
 * lays it out as blocks. Three columns fit a phone as a table. Call again after adding rows.
 */
export function stackable(table) {
  const names = [...table.tHead.rows[0].cells].map((th) => th.textContent.trim());
  if (names.length <= 3) return table;
  table.classList.add('stack');
  table.setAttribute('role', 'table');
  for (const group of [table.tHead, ...table.tBodies]) group.setAttribute('role', 'rowgroup');
  for (const row of table.rows) {
    row.setAttribute('role', 'row');
    [...row.cells].forEach((cell, i) => {
      cell.setAttribute('role', cell.tagName === 'TH' ? 'columnheader' : 'cell');
      if (cell.tagName === 'TD' && names[i]) cell.dataset.label = names[i];
    });
  }
  return table;
}

export function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(iso) {
  if (!iso) return '—';
  const d = new Date(`${iso}T00:00:00`);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(language, { dateStyle: 'medium' });
}

/** Offers a Blob as a download link inside `container` (replacing what was there). */
export function offerDownload(container, blob, filename, label) {
  container.replaceChildren();
  const url = URL.createObjectURL(blob);
  const kb = Math.max(1, Math.round(blob.size / 1024));
  container.append(
    h('a', { href: url, download: filename, class: 'button download' }, t('download.size', { label, kb })),
  );
  return url;
}

// --- words for codes ---------------------------------------------------------------------------

/** An event type in words; a type this page does not know is shown as it is. */
export const eventText = (type) => {
  const text = t(`event.${type}`);
  return text === `event.${type}` ? type : text;
};

/** A state or status code as a badge shows it. */
export const codeText = (prefix, code) => {
  const text = t(`${prefix}.${code}`);
  return text === `${prefix}.${code}` ? String(code).replace(/_/g, ' ') : text;
};

/** A custody timeline (GET /v1/units/{gtin}/{serial}/history) as an ordered list, oldest first. */
export function renderTimeline(events, { technical = false } = {}) {
  if (!events.length) return h('p', {}, t('timeline.none'));
  return h(
    'ol',
    { class: 'timeline' },
    events.map((e) =>
      h(
        'li',
        { class: `timeline-step step-${String(e.type).toLowerCase()}` },
        h('strong', {}, eventText(e.type)),
        ' ',
        h('span', { class: 'muted' }, `(${e.type})`),
        h('br'),
        h('time', { datetime: e.at }, formatTime(e.at)),
        ' · ',
        t('timeline.where', { org: e.org, gln: e.gln }),
        // Ids are data, not words: in <code>, like the transaction's.
        e.shipmentId ? [t('timeline.shipment', { id: '' }), h('code', {}, shortId(e.shipmentId))] : '',
        e.sscc ? t('timeline.container', { sscc: e.sscc }) : '',
        technical || e.txId
          ? h(
              'div',
              { class: 'tx' },
              t('timeline.transaction'),
              h('code', { class: 'txid' }, e.txId ?? '—'),
              t('timeline.block'),
              h('code', { class: 'block' }, e.blockNumber ?? '—'),
            )
          : '',
      ),
    ),
  );
}

export const shortId = (id) => (id && id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-6)}` : (id ?? ''));

// --- reading codes (the domain parses; the ledger re-checks everything) ---------------------------

/** Turns what a scanner or a person typed into the raw code: visible GS placeholders become ASCII 29. */
export function normalizeScan(text) {
  return text.replace(/<GS>|\{GS\}|\\x1d|\u241d/gi, GS).replace(/^[\s\r\n]+|[\s\r\n]+$/g, '');
}

/**
 * Reads the identifiers out of one scanned or typed line: {gtin, serial, lot} of a pack, {gtin, lot} of a
 * batch or {sscc} of a case or pallet. Every form the domain parses (Digital Link URI, (AI) element string,
 * raw GS-separated payload), a bare 18-digit SSCC, or "GTIN SERIAL". Returns null if unreadable.
 */
export function readIdentifiers(line) {
  const text = normalizeScan(line);
  if (/^\d{18}$/.test(text)) return isValidSscc(text) ? { sscc: text } : null;
  const pair = /^(\d{14})\s+(\S{1,20})$/.exec(text);
  if (pair) return isValidGtin(pair[1]) ? { gtin: pair[1], serial: pair[2] } : null;
  let code;
  try {
    code = parseCode(text);
  } catch {
    return null;
  }
  if (code.sscc) return { sscc: code.sscc };
  return code.serial || code.lot ? { gtin: code.gtin, serial: code.serial, lot: code.lot } : null;
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
  ['index.html', 'nav.scan'],
  ['manufacturer.html', 'nav.manufacturer'],
  ['shipments.html', 'nav.shipments'],
  ['regulator.html', 'nav.regulator'],
];

/** The language switch: each language named in its own words. */
function languageSwitch() {
  const select = h(
    'select',
    { id: 'language', 'aria-label': t('lang.label'), onchange: (e) => chooseLanguage(e.currentTarget.value) },
    LANGUAGES.map((code) => h('option', { value: code, selected: code === language }, t(`lang.${code}`))),
  );
  return h('div', { class: 'language' }, select);
}

let signedIn; // { key, me }: the answer of /v1/me for the key signed in

/** Who the signed-in API key acts as ({ mspId, role, gln }), asked once per key; undefined when signed out. */
export function whoAmI() {
  const key = getKey();
  if (signedIn?.key !== key) signedIn = { key, me: key ? api.get('/v1/me') : Promise.resolve(undefined) };
  return signedIn.me;
}

/** Renders the header (brand, navigation, sign-in) into #site-header; `onChange` runs after sign-in/out. */
export function initPage(onChange = () => {}) {
  const header = $('site-header');
  const here = window.location.pathname.split('/').pop() || 'index.html';
  const nav = h(
    'nav',
    { 'aria-label': t('nav.label') },
    h(
      'ul',
      {},
      PAGES.map(([href, key]) =>
        h('li', {}, h('a', { href: `/${href}`, 'aria-current': href === here ? 'page' : undefined }, t(key))),
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
    languageSwitch(),
    account,
  );
  const render = () => {
    const key = getKey();
    if (key) {
      const who = h('span', { class: 'signed-in' }, t('auth.signedInKey'), h('code', {}, key.slice(-4)));
      // Name the person, their organisation and role, and their branch (GLN); a key the gateway does not know
      // (unknown, revoked, expired) signs out.
      whoAmI().then(
        (me) =>
          who.replaceChildren(
            t('auth.signedInAs'),
            h('strong', { class: 'user' }, me.user),
            ' · ',
            h('strong', {}, me.mspId),
            t('auth.whoRole', { role: me.role }),
            h('span', { class: 'branch' }, me.gln),
          ),
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
          t('auth.signOut'),
        ),
      );
    } else {
      const input = h('input', {
        id: 'api-key',
        name: 'api-key',
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        placeholder: t('auth.apiKey'),
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
          h('label', { for: 'api-key' }, t('auth.apiKey')),
          input,
          h('button', { type: 'submit', class: 'small' }, t('auth.signIn')),
          h('span', { id: 'api-key-help', class: 'visually-hidden' }, t('auth.help')),
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
