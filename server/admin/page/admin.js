// Stagehand's admin page (issue 26; docs/admin.md). Plain ES2020, no
// framework: the page is compiled into `stagehand serve` and runs under a
// strict Content-Security-Policy, so nothing here is inline, eval'd or
// fetched from anywhere but this server.
'use strict';

const KEY_STORAGE = 'stagehand-admin-key';
const POLL_MS = 1500;
const PAGE_SIZE = 25;
// The entity set takes at most 1000 rows a page (docs/operations.md).
const MAX_TOP = 1000;
const TERMINAL_STATUS = new Set([30, 31, 32]);
const STATUS_LABELS = {
  0: 'Waiting For Resources', 20: 'In Progress', 22: 'Canceling',
  30: 'Succeeded', 31: 'Failed', 32: 'Canceled',
};
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

const $ = (id) => document.getElementById(id);

// Everything the page knows; each poll rewrites its part.
const state = {
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
async function api(path, { method = 'GET', headers = {}, key = state.key } = {}) {
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
function filterFromFields() {
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
function operationsQuery(top) {
  const params = [];
  if (state.ops.filter) params.push(`$filter=${encodeURIComponent(state.ops.filter)}`);
  params.push(`$orderby=${encodeURIComponent('createdon desc')}`);
  params.push(`$top=${top}`, '$count=true');
  return `/api/data/v9.2/backgroundoperations?${params.join('&')}`;
}

// @odata.nextLink is absolute, built from the server's public URL. Only its
// path and query are fetched, so that it stays same-origin (connect-src
// 'self') even when the page was opened under another host name.
function sameOrigin(link) {
  const url = new URL(link, location.href);
  return url.pathname + url.search;
}

const ANNOTATIONS = { Prefer: `odata.include-annotations="OData.Community.Display.V1.FormattedValue"` };

// ---------------------------------------------------------------- status line

// Errors get role="alert" so that screen readers announce them at once;
// everything else is a polite status.
function setStatus(text, isError = false) {
  const el = $('status');
  delete el.dataset.fromPoll;
  el.textContent = text;
  el.setAttribute('role', isError ? 'alert' : 'status');
  el.classList.toggle('error', isError);
  el.classList.toggle('ok', !isError && text !== '');
}

// A refused key ends the session at once, whichever call found out.
function handleError(err, what) {
  if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
    signOut(err.message);
    return;
  }
  setStatus(what ? `${what}: ${err.message}` : err.message, true);
}

// ---------------------------------------------------------------- formatting

function el(tag, attrs = {}, ...children) {
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

function ago(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return agoSeconds(seconds);
}

function agoSeconds(seconds) {
  if (seconds < 1) return 'just now';
  if (seconds < 60) return `${Math.floor(seconds)} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

// A time cell: the age is what one reads at a glance, the exact time is its
// tooltip and its datetime.
function timeCell(iso) {
  if (!iso) return el('td', { class: 'muted', text: '–' });
  return el('td', {}, el('time', { datetime: iso, title: localTime(iso), text: ago(iso) }));
}

function duration(startIso, endIso) {
  if (!startIso) return '–';
  const ms = (endIso ? Date.parse(endIso) : Date.now()) - Date.parse(startIso);
  const text = ms < 1000 ? `${ms} ms` : ms < 120000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60000)} min`;
  return endIso ? text : `${text}, running`;
}

// The table gives parameters as [{Key, Value}]; the detail route as an
// object. Both are shown the way the search matches them: Key=Value.
function parameterText(params) {
  if (!params) return '';
  const pairs = Array.isArray(params) ? params.map((p) => [p.Key, p.Value]) : Object.entries(params);
  return pairs.filter(([k]) => !String(k).startsWith('__')).map(([k, v]) => `${k}=${v}`).join(', ');
}

function stateClass(label) {
  return `pill pill-${String(label).toLowerCase().replace(/[^a-z]+/g, '-')}`;
}

// Replaces a table body's rows, keeping keyboard focus on the row (or the
// button in it) that had it, so that a live update never throws the user out.
function replaceRows(tbody, rows, keyAttr) {
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

// ---------------------------------------------------------------- operations

function statusLabel(row) {
  return row[`backgroundoperationstatuscode${FORMATTED}`]
    || STATUS_LABELS[row.backgroundoperationstatuscode]
    || String(row.backgroundoperationstatuscode);
}

function operationRow(row) {
  const id = row.backgroundoperationid;
  const label = statusLabel(row);
  const terminal = TERMINAL_STATUS.has(row.backgroundoperationstatuscode);
  const tr = el('tr', { 'data-id': id, tabindex: '0', class: id === state.detailId ? 'selected' : null,
    'aria-label': `${row.name}, ${label}. Enter opens its detail.` });
  tr.append(
    el('td', {}, el('span', { class: 'name', text: row.name }), el('span', { class: 'id', text: id.slice(0, 8) })),
    el('td', { class: 'state', text: label }),
    el('td', { class: 'params', text: parameterText(row.inputparameters) }),
    timeCell(row.createdon),
    el('td', { class: 'muted', text: duration(row.starttime, row.endtime) }),
    el('td', { class: 'num', text: String(row.retrycount ?? 0) }),
    el('td', { class: 'actions' }, terminal ? null
      : el('button', { type: 'button', class: 'cancel', text: 'Cancel', 'aria-label': `Cancel ${row.name} ${id}` })),
  );
  tr.querySelector('td.state').prepend(el('span', { class: stateClass(label), 'aria-hidden': 'true' }));
  return tr;
}

function renderOperations() {
  const { rows, nextLink, count } = state.ops;
  replaceRows($('op-table').tBodies[0], rows.map(operationRow), 'data-id');
  $('op-empty').hidden = rows.length > 0;
  $('op-more').hidden = !nextLink;
  $('op-count').textContent = count === null ? '' : `${rows.length} of ${count}`;
}

// Reloads every row the user has paged in so far in one request (up to
// MAX_TOP), so that a live update shows new states without losing the pages
// that More fetched; the answer's nextLink continues after the last of them.
async function refreshOperations() {
  const generation = state.ops.generation;
  const top = Math.min(state.ops.wanted, MAX_TOP);
  const query = operationsQuery(top);
  const body = await api(query, { headers: ANNOTATIONS });
  // The filters changed while this was under way: its rows are stale.
  if (generation !== state.ops.generation) return;
  state.ops.rows = body.value || [];
  state.ops.nextLink = body['@odata.nextLink'] || null;
  state.ops.count = body['@odata.count'] ?? null;
  renderOperations();
}

async function loadMoreOperations() {
  const link = state.ops.nextLink;
  if (!link) return;
  const button = $('op-more');
  button.disabled = true;
  try {
    const generation = state.ops.generation;
    const body = await api(sameOrigin(link), { headers: ANNOTATIONS });
    if (generation !== state.ops.generation) return;
    state.ops.rows = state.ops.rows.concat(body.value || []);
    state.ops.nextLink = body['@odata.nextLink'] || null;
    state.ops.wanted = state.ops.rows.length;
    renderOperations();
    // The first new row takes focus, so a keyboard user goes on reading.
    const first = $('op-table').tBodies[0].rows[state.ops.rows.length - (body.value || []).length];
    if (first) first.focus();
    else button.focus();
  } catch (err) {
    handleError(err, 'Loading more operations');
  } finally {
    button.disabled = false;
  }
}

// New filters: back to the first page at once, rather than at the next poll.
// Only a filter that differs counts: a field also says `change` when it
// merely loses the focus (to More, say), which must not drop the pages
// already shown.
let filterTimer = null;
function filtersChanged() {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    const filter = filterFromFields();
    if (filter === state.ops.filter) return;
    state.ops.filter = filter;
    state.ops.generation += 1;
    state.ops.wanted = PAGE_SIZE;
    state.ops.nextLink = null;
    refreshOperations().catch((err) => handleError(err, 'Searching operations'));
  }, 250);
}

async function cancelOperation(id, name) {
  try {
    // The admin cancel: a running operation's session is stopped too, so
    // it ends Canceled now instead of running to its end.
    await api(`/api/admin/operations(${encodeURIComponent(id)})`, { method: 'DELETE' });
    setStatus(`Cancel requested for ${name || 'operation'} ${id}.`);
  } catch (err) {
    handleError(err, `Cancel of ${name || 'operation'} ${id} refused`);
  }
  await Promise.allSettled([refreshOperations(), state.detailId === id ? refreshDetail() : null]);
}

// ---------------------------------------------------------------- one operation

function definitionList(pairs) {
  const dl = el('dl', { class: 'facts' });
  for (const [term, value] of pairs) {
    if (value === undefined) continue;
    dl.append(el('div', {}, el('dt', { text: term }),
      value instanceof Node ? el('dd', {}, value) : el('dd', { text: value === '' || value === null ? '–' : String(value) })));
  }
  return dl;
}

function parameterTable(caption, params) {
  const entries = Object.entries(params || {});
  if (!entries.length) return el('div', { class: 'param-block' }, el('h3', { text: caption }), el('p', { class: 'muted', text: 'none' }));
  const tbody = el('tbody', {}, ...entries.map(([k, v]) => el('tr', {}, el('th', { scope: 'row', text: k }), el('td', { text: String(v) }))));
  return el('div', { class: 'param-block' }, el('h3', { text: caption }), el('table', { class: 'kv' }, tbody));
}

// Local time as YYYY-MM-DD HH:MM:SS: sortable, and the same in every locale.
function localTime(iso) {
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function exactTime(iso) {
  return iso ? `${localTime(iso)} (${ago(iso)})` : '–';
}

function ttlText(seconds) {
  if (seconds % 86400 === 0) return `${seconds / 86400} days`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${seconds} s`;
}

// The detail route answers one operation with every column. The contract
// (docs/admin.md) names them id, status, inputs, ...; the entity set's row
// names them backgroundoperationid, inputparameters, .... Both are read, so
// the page shows the same detail whichever the server sends.
function normalizeOperation(op) {
  const pairs = (list) => (Array.isArray(list)
    ? Object.fromEntries(list.map((p) => [p.Key, p.Value])) : (list || {}));
  const statuscode = op.statuscode ?? op.backgroundoperationstatuscode;
  return {
    ...op,
    id: op.id ?? op.backgroundoperationid,
    statuscode,
    statecode: op.statecode ?? op.backgroundoperationstatecode,
    status: op.status ?? op[`backgroundoperationstatuscode${FORMATTED}`] ?? STATUS_LABELS[statuscode] ?? String(statuscode),
    inputs: pairs(op.inputs ?? op.inputparameters),
    outputs: pairs(op.outputs ?? op.outputparameters),
    // errorcode is a number in the table, with errorname beside it.
    error: [op.errorname || (op.errorcode ? String(op.errorcode) : ''), op.errormessage]
      .filter(Boolean).join(': '),
    ttlseconds: op.ttlseconds ?? op.ttlinseconds,
  };
}

function renderDetail(raw) {
  const op = normalizeOperation(raw);
  $('op-detail-title').textContent = `${op.name} · ${op.status}`;
  // notified: every delivery of its ending (callback, webhooks) is over.
  const ended = TERMINAL_STATUS.has(op.statuscode);
  const delivered = op.notified ? 'done' : ended ? 'under way' : 'when it ends';
  const delivery = op.callbackurl ? `${op.callbackurl} · ${delivered}` : delivered;
  const body = $('op-detail-body');
  body.replaceChildren(
    definitionList([
      ['Id', el('code', { text: op.id })], ['Status', `${op.status} (${op.statecode}/${op.statuscode})`], ['Run as', op.runas],
      ['Created', exactTime(op.createdon)], ['Started', exactTime(op.starttime)], ['Ended', exactTime(op.endtime)],
      ['Duration', duration(op.starttime, op.endtime)], ['Retries', op.retrycount],
      ['Next attempt', op.nextattempttime ? exactTime(op.nextattempttime) : undefined],
      ['Cancel requested', op.cancelrequested ? 'yes' : 'no'], ['Error', op.error],
      ['Deliveries', delivery], ['Delivery failure', op.deliveryfailure],
      ['Idempotency key', op.idempotencykey || undefined],
      ['Kept for', op.ttlseconds === undefined ? undefined : ttlText(op.ttlseconds)],
    ]),
    el('div', { class: 'params-pair' }, parameterTable('Inputs', op.inputs), parameterTable('Outputs', op.outputs)),
  );
  $('detail-cancel').hidden = TERMINAL_STATUS.has(op.statuscode);
  $('detail-cancel').dataset.name = op.name;
}

async function refreshDetail() {
  const id = state.detailId;
  if (!id) return;
  try {
    const op = await api(`/api/admin/operations(${encodeURIComponent(id)})`);
    if (state.detailId === id) renderDetail(op);
  } catch (err) {
    if (state.detailId !== id) return;
    if (err.status === 404) {
      // Purged by its TTL, or never there: say so instead of polling for it.
      $('op-detail-body').replaceChildren(el('p', { class: 'muted', text: err.message }));
      $('detail-cancel').hidden = true;
      return;
    }
    throw err;
  }
}

async function openDetail(id) {
  state.detailId = id;
  const section = $('op-detail');
  section.hidden = false;
  $('op-detail-title').textContent = 'Operation';
  $('op-detail-body').replaceChildren(el('p', { class: 'muted', text: `Loading ${id}…` }));
  for (const tr of $('op-table').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.id === id);
  section.focus();
  try { await refreshDetail(); } catch (err) { handleError(err, `Operation ${id}`); }
}

function closeDetail() {
  const id = state.detailId;
  state.detailId = null;
  $('op-detail').hidden = true;
  for (const tr of $('op-table').tBodies[0].rows) tr.classList.remove('selected');
  // Back to the row the detail came from, for keyboard users.
  const row = id && $('op-table').querySelector(`tr[data-id="${CSS.escape(id)}"]`);
  if (row) row.focus();
}

// ---------------------------------------------------------------- background sessions

const STOPPABLE = new Set(['Queued', 'Running']);

async function refreshBackgroundSessions() {
  const body = await api('/api/admin/backgroundsessions');
  const rows = body.value || [];
  replaceRows($('bg-table').tBodies[0], rows.map((s) => el('tr', { 'data-session': String(s.sessionid) },
    el('td', { class: 'num', text: String(s.sessionid) }),
    el('td', { text: s.tag || '' }),
    el('td', { class: 'num', text: s.codeunit ? String(s.codeunit) : '' }),
    el('td', { text: s.userid || '' }),
    el('td', { class: 'state', text: s.state }),
    timeCell(s.since),
    el('td', { class: s.error || s.state === 'Failed' || s.state === 'TimedOut' ? 'error-text' : 'muted',
      text: s.error || s.comment || '' }),
    el('td', { class: 'actions' }, STOPPABLE.has(s.state)
      ? el('button', { type: 'button', class: 'stop', text: 'Stop', 'aria-label': `Stop session ${s.sessionid}` }) : null),
  )), 'data-session');
  for (const td of $('bg-table').querySelectorAll('td.state')) td.prepend(el('span', { class: stateClass(td.textContent), 'aria-hidden': 'true' }));
  const active = rows.filter((s) => STOPPABLE.has(s.state)).length;
  $('bg-count').textContent = `${active} active`;
  $('bg-empty').hidden = rows.length > 0;
}

async function stopSession(id) {
  try {
    await api(`/api/admin/backgroundsessions(${encodeURIComponent(id)})/stop`, { method: 'POST' });
    setStatus(`Session ${id} stopped.`);
  } catch (err) {
    handleError(err, `Stop of session ${id} refused`);
  }
  await Promise.allSettled([refreshBackgroundSessions(), refreshOperations()]);
}

// ---------------------------------------------------------------- sessions, page tasks, nodes

async function refreshSessions() {
  const body = await api('/api/admin/sessions');
  const rows = body.value || [];
  replaceRows($('sessions-table').tBodies[0], rows.map((s) => el('tr', { 'data-session': String(s.sessionid) },
    el('td', { class: 'num', text: String(s.sessionid) }),
    el('td', { text: s.userid }),
    el('td', { text: s.clienttype }),
    el('td', { text: s.company }),
    timeCell(s.logindatetime),
    el('td', { class: 'num', text: String(s.serverinstanceid ?? '') }),
  )), 'data-session');
  $('sessions-count').textContent = `${rows.length}`;
  $('sessions-empty').hidden = rows.length > 0;
}

function taskList(title, tasks, running) {
  const rows = tasks.map((t) => el('tr', {},
    el('td', { class: 'num', text: String(t.taskid) }),
    el('td', { class: 'num', text: String(t.pageid) }),
    el('td', { class: 'num', text: String(t.codeunit) }),
    el('td', { text: running ? t.node : 'queued' }),
    timeCell(t.since)));
  return el('table', { class: 'tasks' },
    el('caption', { text: `${title}: ${tasks.length}` }),
    el('thead', {}, el('tr', {}, ...['Task', 'Page', 'Codeunit', running ? 'Node' : 'State', 'Since']
      .map((h, i) => el('th', { scope: 'col', class: i < 3 ? 'num' : null, text: h })))),
    el('tbody', {}, ...rows));
}

async function refreshPageTasks() {
  const body = await api('/api/admin/pagetasks');
  $('pt-active').textContent = String(body.activechildsessions ?? 0);
  $('pt-queued').textContent = String(body.queuedtasks ?? 0);
  const sessions = body.sessions || [];
  $('pt-sessions').replaceChildren(...(sessions.length ? sessions.map((s) => el('div', { class: 'pt-session' },
    el('h3', { text: `Parent session ${s.sessionid}` }),
    taskList('Running', s.running || [], true),
    (s.queued || []).length ? taskList('Queued', s.queued, false) : null))
    : [el('p', { class: 'empty', text: 'No page task is running or queued.' })]));
}

async function refreshNodes() {
  const body = await api('/api/admin/nodes');
  replaceRows($('node-table').tBodies[0], (body.value || []).map((n) => {
    const share = n.capacity > 0 ? Math.min(1, n.running / n.capacity) : (n.running > 0 ? 1 : 0);
    const bar = el('span', { class: 'bar', role: 'presentation' }, el('span', { class: 'bar-fill' }));
    // CSSOM, not a style attribute: allowed under style-src 'self'.
    bar.firstChild.style.width = `${Math.round(share * 100)}%`;
    return el('tr', { 'data-node': n.name, class: n.lost ? 'lost' : null },
      el('td', { text: n.name }),
      el('td', { class: 'load' }, bar, el('span', { text: `${n.running} / ${n.capacity}` })),
      el('td', { class: 'num', text: String(n.losttotal) }),
      el('td', { text: n.lastheardseconds > 0 ? agoSeconds(n.lastheardseconds) : 'now' }),
      el('td', { class: 'state' }, el('span', { class: n.lost ? 'pill pill-lost' : 'pill pill-live', 'aria-hidden': 'true' }), n.lost ? 'Lost' : 'Live'));
  }), 'data-node');
}

// ---------------------------------------------------------------- rates chart

const SVG = 'http://www.w3.org/2000/svg';
const SERIES = [['submitted', 'Submitted'], ['succeeded', 'Succeeded'], ['failed', 'Failed']];

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// A round upper bound for the y axis: 1, 2, 5, 10, 20, 50, ...
function niceMax(value) {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function drawRates(body) {
  const samples = body.samples || [];
  const chart = $('rate-chart');
  const W = 600, H = 180, left = 36, right = 8, top = 10, bottom = 22;
  const width = W - left - right, height = H - top - bottom;
  const seconds = body.intervalseconds || 1;
  // The x axis covers the history the server has, from half a minute (a
  // server that has just started) to the ten minutes it keeps.
  const span = Math.min(600, Math.max(30, samples.length * seconds));
  const max = niceMax(Math.max(0, ...samples.flatMap((s) => SERIES.map(([k]) => s[k] || 0))));
  const x = (i) => left + width - (samples.length - 1 - i) * seconds / span * width;
  const y = (v) => top + height - (v / max) * height;
  const parts = [];
  for (const f of [0, 0.5, 1]) {
    parts.push(svg('line', { class: 'grid', x1: left, x2: W - right, y1: y(max * f), y2: y(max * f) }));
    parts.push(svg('text', { class: 'axis', x: left - 6, y: y(max * f) + 4, 'text-anchor': 'end' }, String(+(max * f).toFixed(2))));
  }
  const backLabel = (s) => (s === 0 ? 'now' : s % 60 === 0 ? `−${s / 60} min` : `−${s} s`);
  for (const [back, anchor] of [[span, 'start'], [Math.round(span / 2), 'middle'], [0, 'end']]) {
    const px = left + width - (back / span) * width;
    parts.push(svg('text', { class: 'axis', x: px, y: H - 6, 'text-anchor': anchor }, backLabel(back)));
  }
  for (const [keyName] of SERIES) {
    if (!samples.length) break;
    const points = samples.map((s, i) => `${x(i).toFixed(1)},${y(s[keyName] || 0).toFixed(1)}`).join(' ');
    parts.push(svg('polyline', { class: `series series-${keyName}`, points }));
  }
  chart.replaceChildren(svg('title', {}, 'Operations per second'), ...parts);
  // The legend doubles as the chart's text for screen readers.
  const last = samples[samples.length - 1] || {};
  const mean = (k) => samples.length ? samples.reduce((a, s) => a + (s[k] || 0), 0) / samples.length : 0;
  const totals = body.totals || {};
  $('rate-summary').replaceChildren(...SERIES.map(([k, label]) => el('span', { class: `key key-${k}` },
    `${label} ${(last[k] || 0).toFixed(1)}/s now, ${mean(k).toFixed(2)}/s on average`
      + (totals[k] === undefined ? '' : `, ${totals[k]} since start`))));
}

async function refreshRates() {
  drawRates(await api('/api/admin/rates'));
}

// ---------------------------------------------------------------- live updates

// One poll at a time: the next is scheduled only when every request of this
// one has answered, so a slow server is never asked twice at once. A hidden
// tab does not poll.
async function poll() {
  state.timer = null;
  if (!state.key) return;
  if (!document.hidden) {
    const results = await Promise.allSettled([
      refreshOperations(), refreshBackgroundSessions(), refreshSessions(),
      refreshPageTasks(), refreshNodes(), refreshRates(), refreshDetail(),
    ]);
    if (!state.key) return;
    const failed = results.find((r) => r.status === 'rejected');
    $('live').classList.toggle('stale', Boolean(failed));
    $('live').textContent = failed ? 'not updating' : 'live';
    // How many updates have been drawn: lets a test wait for the next one.
    $('live').dataset.polls = String(Number($('live').dataset.polls || 0) + 1);
    if (failed) {
      handleError(failed.reason, 'Updating');
      if (!state.key) return;
      // Marked so that the next good poll clears it; a refused action's
      // message stays until the user does something else.
      $('status').dataset.fromPoll = '1';
    } else if ($('status').dataset.fromPoll) {
      setStatus('');
    }
  }
  state.timer = setTimeout(poll, POLL_MS);
}

// ---------------------------------------------------------------- sign-in

function showSignIn(message = '') {
  $('app').hidden = true;
  $('signout').hidden = true;
  $('live').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  $('key').value = '';
  $('key').focus();
}

function signOut(message = '') {
  state.key = null;
  sessionStorage.removeItem(KEY_STORAGE);
  clearTimeout(state.timer);
  state.timer = null;
  setStatus('');
  showSignIn(message);
}

// Checks the key on an admin route before showing anything: a user's key
// answers 403 and a wrong one 401, and either message is shown as it came.
async function signIn(key) {
  $('signin-error').textContent = '';
  try {
    await api('/api/admin/sessions', { key });
  } catch (err) {
    sessionStorage.removeItem(KEY_STORAGE);
    showSignIn(err.message);
    return false;
  }
  state.key = key;
  sessionStorage.setItem(KEY_STORAGE, key);
  $('signin').hidden = true;
  $('app').hidden = false;
  $('signout').hidden = false;
  $('live').hidden = false;
  clearTimeout(state.timer);
  poll();
  return true;
}

// #key=<key> signs in straight away; the fragment is removed at once so that
// the key stays out of the history and any copied link.
function keyFromFragment() {
  const match = /^#key=(.+)$/.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, '', location.pathname + location.search);
  try { return decodeURIComponent(match[1]); } catch (_) { return match[1]; }
}

// ---------------------------------------------------------------- wiring

function wire() {
  $('signin').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('key').value.trim();
    if (key) signIn(key);
  });
  $('signout').addEventListener('click', () => signOut());
  $('op-filters').addEventListener('submit', (event) => event.preventDefault());
  for (const id of ['op-state', 'op-name', 'op-search']) {
    $(id).addEventListener('input', filtersChanged);
    $(id).addEventListener('change', filtersChanged);
  }
  $('op-more').addEventListener('click', loadMoreOperations);

  // Rows and their buttons are re-made on every poll, so their events are
  // caught once on the table.
  const opBody = $('op-table').tBodies[0];
  opBody.addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-id]');
    if (!row) return;
    if (event.target.closest('button.cancel')) {
      const op = state.ops.rows.find((r) => r.backgroundoperationid === row.dataset.id);
      cancelOperation(row.dataset.id, op && op.name);
    } else {
      openDetail(row.dataset.id);
    }
  });
  opBody.addEventListener('keydown', (event) => {
    // Enter on a row opens it; Enter on its Cancel button only cancels.
    if (event.key !== 'Enter' || event.target.tagName !== 'TR') return;
    event.preventDefault();
    openDetail(event.target.dataset.id);
  });
  $('detail-close').addEventListener('click', closeDetail);
  $('detail-cancel').addEventListener('click', () => {
    if (state.detailId) cancelOperation(state.detailId, $('detail-cancel').dataset.name);
  });
  $('op-detail').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeDetail();
  });
  $('bg-table').tBodies[0].addEventListener('click', (event) => {
    const button = event.target.closest('button.stop');
    if (button) stopSession(button.closest('tr').dataset.session);
  });
  // Coming back to a hidden tab: update now rather than at the next tick.
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && state.key && state.timer) {
      clearTimeout(state.timer);
      poll();
    }
  });
}

function start() {
  wire();
  const key = keyFromFragment() || sessionStorage.getItem(KEY_STORAGE);
  if (key) signIn(key);
  else showSignIn();
}

start();
