// The admin page's shared part (docs/admin.md): its constants and state,
// requests to the server, the OData query it builds, the status line and
// formatting. The page's other modules import from here.

export const KEY_STORAGE = 'stagehand-admin-key';
export const POLL_MS = 1500;
export const PAGE_SIZE = 25;
// The entity set takes at most 1000 rows a page (docs/operations.md).
export const MAX_TOP = 1000;
export const TERMINAL_STATUS = new Set([30, 31, 32]);
export const STATUS_LABELS = {
  0: 'Waiting For Resources', 20: 'In Progress', 22: 'Canceling',
  30: 'Succeeded', 31: 'Failed', 32: 'Canceled',
};
export const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

export const $ = (id) => document.getElementById(id);

// Everything the page knows; each poll rewrites its part.
export const state = {
  key: null,
  timer: null,
  // filter: the $filter in effect, built from the fields when they change.
  ops: { rows: [], nextLink: null, count: null, wanted: PAGE_SIZE, filter: '', generation: 0 },
  detailId: null,
};

// ---------------------------------------------------------------- requests

// An answer the server refused. `message` is the server's own text, shown as
// it came; `status` lets callers tell a refused key (401/403) from the rest.
class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// Every JSON call goes through here: the key as a bearer token, and the
// server's {"error":{"message"}} turned into an ApiError.
export async function api(path, { method = 'GET', headers = {}, key = state.key } = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: { Accept: 'application/json', Authorization: `Bearer ${key}`, ...headers },
      cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError(0, `The server cannot be reached (${err.message}).`);
  }
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (_) { /* not JSON: shown below */ }
  if (!res.ok) {
    const message = body && body.error && body.error.message
      ? body.error.message
      : `${method} ${path} answered HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    throw new ApiError(res.status, message);
  }
  return body;
}

// An OData string literal: quotes inside are doubled, as the grammar asks.
function odataString(text) {
  return `'${String(text).replace(/'/g, "''")}'`;
}

// The $filter for the fields on screen: state, name and parameter search,
// joined with `and`; empty for no filter.
export function filterFromFields() {
  const parts = [];
  const status = $('op-state').value;
  const name = $('op-name').value.trim();
  const search = $('op-search').value.trim();
  if (status !== '') parts.push(`backgroundoperationstatuscode eq ${Number(status)}`);
  if (name) parts.push(`contains(name,${odataString(name)})`);
  if (search) parts.push(`contains(inputparameters,${odataString(search)})`);
  return parts.join(' and ');
}

// The entity set's query for the filter in effect. Each value is encoded as
// a whole with encodeURIComponent, so `&`, `#`, `+` or `%` in a search stay
// part of the literal.
export function operationsQuery(top) {
  const params = [];
  if (state.ops.filter) params.push(`$filter=${encodeURIComponent(state.ops.filter)}`);
  params.push(`$orderby=${encodeURIComponent('createdon desc')}`);
  params.push(`$top=${top}`, '$count=true');
  return `/api/data/v9.2/backgroundoperations?${params.join('&')}`;
}

// @odata.nextLink is absolute, built from the server's public URL. Only its
// path and query are fetched, so that it stays same-origin (connect-src
// 'self') even when the page was opened under another host name.
export function sameOrigin(link) {
  const url = new URL(link, location.href);
  return url.pathname + url.search;
}

export const ANNOTATIONS = { Prefer: `odata.include-annotations="OData.Community.Display.V1.FormattedValue"` };

// ---------------------------------------------------------------- status line

// Errors get role="alert" so that screen readers announce them at once;
// everything else is a polite status.
export function setStatus(text, isError = false) {
  const el = $('status');
  delete el.dataset.fromPoll;
  el.textContent = text;
  el.setAttribute('role', isError ? 'alert' : 'status');
  el.classList.toggle('error', isError);
  el.classList.toggle('ok', !isError && text !== '');
}

// What a refused key does: sign out, set by the sign-in module, which
// stands above this one.
let refused = () => {};
export function onRefusedKey(fn) {
  refused = fn;
}

// A refused key ends the session at once, whichever call found out.
export function handleError(err, what) {
  if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
    refused(err.message);
    return;
  }
  setStatus(what ? `${what}: ${err.message}` : err.message, true);
}

// ---------------------------------------------------------------- formatting

// Local time as YYYY-MM-DD HH:MM:SS: sortable, and the same in every locale.
export function localTime(iso) {
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

export function ago(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return agoSeconds(seconds);
}

export function agoSeconds(seconds) {
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${Math.floor(seconds)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

// A time cell: the age is what one reads at a glance, the exact time is its
// tooltip and its datetime.
export function timeCell(iso) {
  if (!iso) return el('td', { class: 'muted', text: '–' });
  return el('td', {}, el('time', { datetime: iso, title: localTime(iso), text: ago(iso) }));
}

export function duration(startIso, endIso) {
  if (!startIso) return '–';
  const ms = (endIso ? Date.parse(endIso) : Date.now()) - Date.parse(startIso);
  const text = ms < 1000 ? `${ms} ms` : ms < 120000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60000)} min`;
  return endIso ? text : `${text}, running`;
}

// The table gives parameters as [{Key, Value}]; the detail route as an
// object. Both are shown the way the search matches them: Key=Value.
export function parameterText(params) {
  if (!params) return '';
  const pairs = Array.isArray(params) ? params.map((p) => [p.Key, p.Value]) : Object.entries(params);
  return pairs.filter(([k]) => !String(k).startsWith('__')).map(([k, v]) => `${k}=${v}`).join(', ');
}

export function stateClass(label) {
  return `pill pill-${String(label).toLowerCase().replace(/[^a-z]+/g, '-')}`;
}

// Replaces a table body's rows, keeping keyboard focus on the row (or the
// button in it) that had it, so that a live update never throws the user out.
export function replaceRows(tbody, rows, keyAttr) {
  const active = document.activeElement;
  let focusKey = null;
  let focusButton = null;
  if (active && tbody.contains(active)) {
    const row = active.closest('tr');
    focusKey = row && row.getAttribute(keyAttr);
    focusButton = active.tagName === 'BUTTON' ? active.className : null;
  }
  tbody.replaceChildren(...rows);
  if (focusKey === null) return;
  const row = tbody.querySelector(`tr[${keyAttr}="${CSS.escape(focusKey)}"]`);
  // The button may be gone (a Cancel on a row that has just ended): then
  // the row itself keeps the focus.
  const button = row && focusButton && row.querySelector(`button.${CSS.escape(focusButton.split(' ')[0])}`);
  const target = button || row;
  if (target) target.focus();
}
