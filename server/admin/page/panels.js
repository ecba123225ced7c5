// The smaller panels: background sessions with Stop, active sessions, page
// tasks, nodes, and the rates chart.

import {
  $, api, setStatus, handleError, el, agoSeconds, timeCell, stateClass,
  replaceRows
} from './common.js';
import { refreshOperations } from './operations.js';

// ---------------------------------------------------------------- background sessions

const STOPPABLE = new Set(['Queued', 'Running']);

export async function refreshBackgroundSessions() {
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

export async function stopSession(id) {
  try {
    await api(`/api/admin/backgroundsessions(${encodeURIComponent(id)})/stop`, { method: 'POST' });
    setStatus(`Session ${id} stopped.`);
  } catch (err) {
    handleError(err, `Stop of session ${id} refused`);
  }
  await Promise.allSettled([refreshBackgroundSessions(), refreshOperations()]);
}

// ---------------------------------------------------------------- sessions, page tasks, nodes

export async function refreshSessions() {
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

export async function refreshPageTasks() {
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

export async function refreshNodes() {
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

export async function refreshRates() {
  drawRates(await api('/api/admin/rates'));
}
