// Stagehand's admin page (issue 26; docs/admin.md). Plain ES2020, no
// framework: the page is compiled into `stagehand serve` and runs under a
// strict Content-Security-Policy, so nothing here is inline, eval'd or
// fetched from anywhere but this server.
// This module starts the page: live updates, sign-in and the wiring of its
// controls; the others draw its parts. Modules run in strict mode.

import {
  KEY_STORAGE, POLL_MS, $, state, api, setStatus, onRefusedKey, handleError
} from './common.js';
import {
  refreshOperations, loadMoreOperations, filtersChanged, cancelOperation,
  refreshDetail, openDetail, closeDetail
} from './operations.js';
import {
  refreshBackgroundSessions, stopSession, refreshSessions, refreshPageTasks,
  refreshNodes, refreshRates
} from './panels.js';

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
  onRefusedKey(signOut);
  wire();
  const key = keyFromFragment() || sessionStorage.getItem(KEY_STORAGE);
  if (key) signIn(key);
  else showSignIn();
}

start();
