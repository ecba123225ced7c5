// The operations table and one operation's detail: filters, the parameter
// search through $filter, More through @odata.nextLink, and Cancel.

import {
  PAGE_SIZE, MAX_TOP, TERMINAL_STATUS, STATUS_LABELS, FORMATTED, $, state,
  api, filterFromFields, operationsQuery, sameOrigin, ANNOTATIONS, setStatus,
  handleError, localTime, el, ago, timeCell, duration, parameterText,
  stateClass, replaceRows
} from './common.js';

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
export async function refreshOperations() {
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

export async function loadMoreOperations() {
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
export function filtersChanged() {
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

export async function cancelOperation(id, name) {
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
// The detail route's row (docs/admin.md) in the names the view uses.
function detailOf(row) {
  const pairs = (list) => Object.fromEntries((list || []).map((p) => [p.Key, p.Value]));
  const statuscode = row.backgroundoperationstatuscode;
  return {
    ...row,
    id: row.backgroundoperationid,
    statuscode,
    statecode: row.backgroundoperationstatecode,
    status: statusLabel(row),
    inputs: pairs(row.inputparameters),
    outputs: pairs(row.outputparameters),
    // errorcode is the platform's number, with the name beside it.
    error: [row.errorname, row.errormessage].filter(Boolean).join(': '),
    ttlseconds: row.ttlinseconds,
  };
}

function renderDetail(row) {
  const op = detailOf(row);
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

export async function refreshDetail() {
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

export async function openDetail(id) {
  state.detailId = id;
  const section = $('op-detail');
  section.hidden = false;
  $('op-detail-title').textContent = 'Operation';
  $('op-detail-body').replaceChildren(el('p', { class: 'muted', text: `Loading ${id}…` }));
  for (const tr of $('op-table').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.id === id);
  section.focus();
  try { await refreshDetail(); } catch (err) { handleError(err, `Operation ${id}`); }
}

export function closeDetail() {
  const id = state.detailId;
  state.detailId = null;
  $('op-detail').hidden = true;
  for (const tr of $('op-table').tBodies[0].rows) tr.classList.remove('selected');
  // Back to the row the detail came from, for keyboard users.
  const row = id && $('op-table').querySelector(`tr[data-id="${CSS.escape(id)}"]`);
  if (row) row.focus();
}
