// The admin page in Debian's chromium, against a real `stagehand serve`
// (tests/admin_browser/run starts it and passes these in the environment).
// Every wait is on a condition with a deadline, never a fixed sleep; a
// failure names what it waited for and what it saw last.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through tests/admin_browser/run`);
  return value;
};
const base = env('STAGEHAND_URL');
const adminKey = env('ADMIN_KEY');
const userKey = env('USER_KEY');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshot = process.env.SCREENSHOT;

const DEADLINE_MS = 20000;

// Distinct Wait values per run, so that a parameter search finds exactly the
// operation a test submitted (contains() matches text, so no value may be a
// prefix of another: all are five digits).
const unique = () => 10000 + Math.floor(Math.random() * 89999);

let browser;
let context;
let problems = [];

before(async () => {
  browser = await chromium.launch({ executablePath, headless: true });
});
after(async () => {
  if (browser) await browser.close();
});
afterEach(async () => {
  if (context) await context.close();
  context = null;
});

// A fresh context per test: its own sessionStorage, so no test inherits a
// sign-in. Script errors and CSP refusals on the page fail the test.
async function newPage() {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  return page;
}

function noProblems() {
  assert.deepEqual(problems, [], 'the page logged errors');
}

async function until(what, probe, timeoutMs = DEADLINE_MS) {
  const deadline = Date.now() + timeoutMs;
  let seen;
  for (;;) {
    const { ok, value, last } = await probe();
    if (ok) return value;
    seen = last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(seen)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---- the API, from Node, as a client other than the page

async function call(method, path, { key = adminKey, body, headers = {} } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (_) { /* kept as text */ }
  return { status: res.status, json, text };
}

async function submitWait(ms) {
  const answer = await call('POST', '/api/data/v9.2/sample_Wait', {
    body: { Wait: ms }, headers: { Prefer: 'respond-async' },
  });
  assert.equal(answer.status, 202, `submit of sample_Wait ${ms}: ${answer.text}`);
  return answer.json.backgroundOperationId;
}

async function operation(id) {
  const answer = await call('GET', `/api/admin/operations(${id})`);
  assert.equal(answer.status, 200, `GET /api/admin/operations(${id}): ${answer.text}`);
  return answer.json;
}

// ---- the page

async function cellText(page, selector) {
  const cell = page.locator(selector);
  return (await cell.count()) ? (await cell.first().textContent()).trim() : null;
}

async function untilText(page, selector, wanted, what, timeoutMs) {
  const accepts = Array.isArray(wanted) ? wanted : [wanted];
  return until(what, async () => {
    const text = await cellText(page, selector);
    return { ok: accepts.includes(text), value: text, last: text };
  }, timeoutMs);
}

async function openSignedIn(page) {
  await page.goto(`${base}/admin#key=${encodeURIComponent(adminKey)}`);
  await page.locator('#app').waitFor({ state: 'visible', timeout: DEADLINE_MS });
  // The key leaves the address bar at once, and lives in sessionStorage.
  assert.equal(new URL(page.url()).hash, '', 'the #key= fragment is still in the URL');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('stagehand-admin-key')), adminKey);
}

test('a: a running sample_Wait is found by its parameter and canceled', { timeout: 120000 }, async () => {
  const wait = unique();
  const param = `Wait=${wait}`;
  // Company for the screenshot: operations that end at once, submitted in
  // turns between the test's own waits, so the rate chart has a history.
  const echo = async (text) => {
    const answer = await call('POST', '/api/data/v9.2/sample_Echo', { body: { Text: text }, headers: { Prefer: 'respond-async' } });
    assert.equal(answer.status, 202, answer.text);
    return answer.json.backgroundOperationId;
  };
  const first = [await echo('invoice 1042'), await echo('invoice 1043')];

  const page = await newPage();
  await openSignedIn(page);
  for (const done of first) {
    await untilText(page, `#op-table tbody tr[data-id="${done}"] td.state`, 'Succeeded', `sample_Echo ${done} to show Succeeded`);
  }
  await submitWait(1200);
  await echo('invoice 1044');
  const id = await submitWait(wait);
  const row = `#op-table tbody tr[data-id="${id}"]`;
  await untilText(page, `${row} td.state`, 'In Progress', `${id} (${param}) to show In Progress`);

  // Enter on the row opens its detail, with the inputs the server kept.
  await page.locator(row).focus();
  await page.keyboard.press('Enter');
  await page.locator('#op-detail').waitFor({ state: 'visible', timeout: DEADLINE_MS });
  await until('the detail to list the Wait input', async () => {
    const text = await page.locator('#op-detail').textContent();
    return { ok: text.includes(String(wait)) && text.includes('sample_Wait'), last: text.slice(0, 300) };
  });
  await untilText(page, '#bg-table tbody td.state', ['Running'], 'a Running background session');

  if (screenshot) {
    // The rate chart draws from the server's counters; let it show the submits.
    await until('the rate chart to have its lines', async () => {
      const n = await page.locator('#rate-chart polyline').count();
      return { ok: n === 3, last: n };
    });
    // The search field is where the test goes next; its focus ring is the
    // one in the picture.
    await page.locator('#op-search').focus();
    await page.screenshot({ path: screenshot, fullPage: true });
  }

  // Search by the parameter: exactly this operation is left.
  await page.locator('#op-search').fill(param);
  await until(`the search ${param} to leave only ${id}`, async () => {
    const ids = await page.locator('#op-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.id));
    return { ok: ids.length === 1 && ids[0] === id, last: ids };
  });

  await page.locator(`${row} button.cancel`).click();
  // The page's cancel stops the running attempt too: no Stop is needed.
  await untilText(page, `${row} td.state`, 'Canceled', `${id} to show Canceled`);
  assert.match(await cellText(page, '#status'), /Cancel requested/);
  assert.equal(await page.locator(`${row} button.cancel`).count(), 0, 'a Canceled row still has its Cancel button');
  const ended = await operation(id);
  assert.equal(ended.backgroundoperationstatuscode, 32, JSON.stringify(ended));

  // The open detail follows: its own Cancel button goes too.
  await page.locator('#detail-cancel').waitFor({ state: 'hidden', timeout: DEADLINE_MS });
  noProblems();
});

test('b: a background session is stopped from the page', { timeout: 120000 }, async () => {
  const known = new Set(((await call('GET', '/api/admin/backgroundsessions')).json.value || []).map((s) => s.sessionid));
  const id = await submitWait(unique());
  // The operation's attempt is a background session of its own (tag operation).
  const session = await until(`a new Running background session for ${id}`, async () => {
    const sessions = (await call('GET', '/api/admin/backgroundsessions')).json.value || [];
    const fresh = sessions.filter((s) => !known.has(s.sessionid) && s.state === 'Running');
    return { ok: fresh.length === 1, value: fresh[0] && fresh[0].sessionid, last: sessions };
  });

  const page = await newPage();
  await openSignedIn(page);
  const row = `#bg-table tbody tr[data-session="${session}"]`;
  await untilText(page, `${row} td.state`, 'Running', `session ${session} to show Running`);
  await page.locator(`${row} button.stop`).click();
  await untilText(page, `${row} td.state`, 'Stopped', `session ${session} to show Stopped`);
  assert.equal(await page.locator(`${row} button.stop`).count(), 0, 'a Stopped session still has its Stop button');
  assert.equal(await cellText(page, '#status'), `Session ${session} stopped.`);

  // Stopping it again is refused; the page shows the server's own message.
  const again = await call('POST', `/api/admin/backgroundsessions(${session})/stop`);
  assert.equal(again.status, 404, again.text);
  // A Stop button shown just before its session ended (a race the page can
  // lose between two polls): put one back on the row and press it.
  await page.evaluate((sid) => {
    const cell = document.querySelector(`#bg-table tr[data-session="${sid}"] td.actions`);
    const button = document.createElement('button');
    button.className = 'stop';
    button.type = 'button';
    cell.append(button);
    button.click();
  }, String(session));
  await untilText(page, '#status', `Stop of session ${session} refused: ${again.json.error.message}`,
    'the server\'s refusal of a second stop in #status');
  assert.equal(await page.locator('#status').getAttribute('role'), 'alert');
  // Leave nothing running: the operation may be waiting to retry.
  await call('DELETE', `/api/backgroundOperation/${id}`);
  noProblems();
});

test('c: a user key is refused with the server\'s message', { timeout: 60000 }, async () => {
  const refused = await call('GET', '/api/admin/sessions', { key: userKey });
  assert.equal(refused.status, 403, refused.text);
  const message = refused.json.error.message;
  assert.ok(message, 'the 403 has a message');

  const page = await newPage();
  await page.goto(`${base}/admin`);
  await page.locator('#signin').waitFor({ state: 'visible', timeout: DEADLINE_MS });
  assert.equal(await page.locator('label[for="key"]').textContent(), 'Admin key');
  await page.locator('#key').fill(userKey);
  await page.locator('#signin button[type="submit"]').click();
  await untilText(page, '#signin-error', message, 'the 403 message in #signin-error');
  assert.equal(await page.locator('#app').isVisible(), false, 'a user key shows the admin page');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('stagehand-admin-key')), null);

  // An unknown key gets the 401's message the same way, typed and sent with Enter.
  const unknown = await call('GET', '/api/admin/sessions', { key: 'not-a-key' });
  assert.equal(unknown.status, 401, unknown.text);
  await page.locator('#key').fill('not-a-key');
  await page.locator('#key').press('Enter');
  await untilText(page, '#signin-error', unknown.json.error.message, 'the 401 message in #signin-error');
  noProblems();
});

test('d: More pages through @odata.nextLink', { timeout: 60000 }, async () => {
  const tag = `page-${unique()}`;
  const total = 30;
  const batch = await call('POST', '/api/$batch', {
    body: {
      requests: Array.from({ length: total }, (_, i) => ({
        id: String(i), method: 'POST', url: '/api/data/v9.2/sample_Echo',
        headers: { Prefer: 'respond-async' }, body: { Text: `${tag}-${String(i).padStart(2, '0')}` },
      })),
    },
  });
  assert.equal(batch.status, 200, batch.text);

  const page = await newPage();
  await openSignedIn(page);
  await page.locator('#op-search').fill(`Text=${tag}-`);
  const rows = page.locator('#op-table tbody tr');
  // The count tells the search's answer from the unfiltered list before it.
  await until(`the first page: 25 rows of ${total}, and a More button`, async () => {
    const n = await rows.count();
    const count = await cellText(page, '#op-count');
    return { ok: n === 25 && count === `25 of ${total}` && await page.locator('#op-more').isVisible(), last: [n, count] };
  });
  await page.locator('#op-more').click();
  await until(`all ${total} rows, and no More`, async () => {
    const n = await rows.count();
    return { ok: n === total && !(await page.locator('#op-more').isVisible()), last: n };
  });
  // The rows More added stay through the live updates that follow (the
  // search field lost the focus to More, which must not reset the list).
  const polls = async () => Number(await page.locator('#live').getAttribute('data-polls'));
  const seen = await polls();
  await until('two more live updates', async () => {
    const n = await polls();
    return { ok: n >= seen + 2, last: n };
  });
  // Each row once: paging by position neither repeats nor skips.
  const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.id));
  assert.equal(ids.length, total, 'rows after two more updates');
  assert.equal(new Set(ids).size, total);
  assert.equal(await page.locator('#op-more').isVisible(), false);
  noProblems();
});

test('e: the page\'s files are served with their Content-Security-Policy', { timeout: 30000 }, async () => {
  const files = [['/admin', 'text/html'], ['/admin/admin.css', 'text/css']];
  for (const module of ['admin', 'common', 'operations', 'panels']) files.push([`/admin/${module}.js`, 'text/javascript']);
  for (const [path, type] of files) {
    const res = await fetch(`${base}${path}`);
    // Read to the end, or the connection stays open until serve times it out.
    const body = await res.text();
    assert.equal(res.status, 200, path);
    assert.ok(body.length > 0, `${path} is empty`);
    assert.ok(res.headers.get('content-type').startsWith(type), `${path}: ${res.headers.get('content-type')}`);
    assert.match(res.headers.get('content-security-policy') || '', /script-src 'self'/, `${path} has no CSP`);
  }
});
