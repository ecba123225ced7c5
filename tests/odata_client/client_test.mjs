// A generic OData V4 client that we did not write, @odata/client from npm,
// against a running `stagehand serve` (issue 25). tests/odata_client/run starts
// the server, submits the operations and calls this:
//
//   node client_test.mjs <base-url> <api-key> <echo-count>
//
// <echo-count> sample_Echo operations with Text "echo-1" .. "echo-<n>" must
// have succeeded (status 30) before it runs. Every request the client sends is
// printed as it went on the wire, with its answer's status. Any mismatch
// throws: node exits non-zero with the step and what differed.
import assert from "node:assert/strict";
import { OData, EdmV4, defaultProxy } from "@odata/client";

const [base, key, countArg] = process.argv.slice(2);
if (!base || !key || !countArg) {
  console.error("usage: node client_test.mjs <base-url> <api-key> <echo-count>");
  process.exit(2);
}
const echoCount = Number(countArg);
assert.ok(Number.isInteger(echoCount) && echoCount > 0, `echo-count must be a positive integer, got '${countArg}'`);

const serviceEndpoint = `${base.replace(/\/+$/, "")}/api/data/v9.2/`;

// The table's columns, by their logical names (issue 25), and columns that
// are ours and must appear to no one.
const columns = [
  "backgroundoperationid", "backgroundoperationstatecode", "backgroundoperationstatuscode",
  "name", "displayname", "inputparameters", "outputparameters", "starttime", "endtime",
  "retrycount", "errorcode", "errormessage", "runas", "createdon", "ttlinseconds",
];
const internalColumns = ["bodyhash", "idempotencykey", "notified", "cancelrequested", "deliveryfailure", "callbackurl"];

// The client's fetch proxy is its request interceptor: every request goes
// through it. It logs the request as fetch sends it (the client puts the query
// string together without encoding it; fetch's URL parser encodes it) and turns
// an answer other than 2xx into an error that names the request and the body.
const sent = [];
async function fetchProxy(url, init) {
  const wire = new URL(url);
  const line = `${init?.method ?? "GET"} ${wire.pathname}${wire.search}`;
  const res = await defaultProxy(url, init);
  const status = res.response.status;
  sent.push({ line, status, headers: init?.headers ?? {} });
  console.log(`  client sent: ${line} -> ${status}`);
  if (status < 200 || status > 299) {
    const body = typeof res.content === "string" ? res.content : JSON.stringify(res.content);
    throw new Error(`${line} answered ${status}: ${body}`);
  }
  return res;
}

const client = OData.New4({
  serviceEndpoint,
  commonHeaders: { Authorization: `Bearer ${key}` },
  fetchProxy,
});
const rows = client.getEntitySet("backgroundoperations");

let step = "";
function begin(name) {
  step = name;
  console.log(`${name}`);
}

// Our keys are GUIDs; the OData literal for one is bare, backgroundoperations(<id>).
const guidKey = (id) => EdmV4.Guid.from(id);

// An entity's own properties, without its annotations (@odata.etag, ...).
const properties = (row) => Object.keys(row).filter((k) => !k.includes("@")).sort();

// A nextLink as the client's request API takes it: a path below the endpoint.
function belowEndpoint(nextLink) {
  const absolute = new URL(nextLink, serviceEndpoint).href;
  assert.ok(absolute.startsWith(serviceEndpoint),
    `@odata.nextLink ${nextLink} is not below the service endpoint ${serviceEndpoint}`);
  return absolute.slice(serviceEndpoint.length);
}

async function main() {
  // 1. $metadata: the client has no metadata API of its own, so it is read
  // through its request API; the answer is CSDL XML.
  begin("$metadata");
  const csdl = await client.newRequest({ collection: "$metadata" });
  assert.equal(typeof csdl, "string", "$metadata: expected the CSDL document as text");
  assert.match(csdl, /<edmx:Edmx[^>]*Version="4\.0"/, "$metadata: not an EDMX 4.0 document");
  const type = csdl.match(/<EntityType\s+Name="backgroundoperation"[^>]*>([\s\S]*?)<\/EntityType>/);
  assert.ok(type, "$metadata: no EntityType named backgroundoperation");
  assert.match(type[1], /<Key>\s*<PropertyRef\s+Name="backgroundoperationid"\s*\/>\s*<\/Key>/,
    "$metadata: backgroundoperation's key is not backgroundoperationid");
  const declared = [...type[1].matchAll(/<Property\s+Name="([^"]+)"/g)].map((m) => m[1]).sort();
  assert.deepEqual(declared, [...columns].sort(), `$metadata: backgroundoperation's properties are ${declared}`);
  assert.match(csdl, /<EntitySet\s+Name="backgroundoperations"\s+EntityType="[\w.]+\.backgroundoperation"/,
    "$metadata: no EntitySet backgroundoperations of type backgroundoperation");

  // 2. The set, filtered by the client's filter builder, a few columns, a
  // small page, and every @odata.nextLink followed to the end.
  begin("entity set: $filter, $select, $top, following @odata.nextLink");
  const pageSize = 7;
  const selected = ["backgroundoperationid", "name", "backgroundoperationstatuscode", "inputparameters"];
  const filter = client.newFilter()
    .field("name").eq("sample_Echo")
    .field("backgroundoperationstatuscode").eq(30);
  const options = client.newOptions().filter(filter).select(selected).top(pageSize);
  let page = await client.newRequest({ collection: "backgroundoperations", params: options });
  const seen = new Map(); // id -> Text
  let pages = 0;
  const maxPages = echoCount + 2; // a server may send short pages, but not endless ones
  for (;;) {
    pages += 1;
    assert.ok(pages <= maxPages, `more than ${maxPages} pages for ${echoCount} rows of ${pageSize}: the nextLinks do not end`);
    assert.match(String(page["@odata.context"]), /\$metadata#backgroundoperations\b/,
      `page ${pages}: @odata.context ${page["@odata.context"]} does not name the set`);
    assert.ok(Array.isArray(page.value), `page ${pages}: no value array`);
    assert.ok(page.value.length <= pageSize, `page ${pages}: ${page.value.length} rows, more than $top=${pageSize}`);
    for (const row of page.value) {
      assert.deepEqual(properties(row), [...selected].sort(), `page ${pages}: a row's columns are not the $select: ${JSON.stringify(row)}`);
      assert.ok(row.name === "sample_Echo" && row.backgroundoperationstatuscode === 30,
        `page ${pages}: a row outside the $filter: ${JSON.stringify(row)}`);
      assert.ok(!seen.has(row.backgroundoperationid), `row ${row.backgroundoperationid} seen twice, again on page ${pages}`);
      const text = row.inputparameters?.find?.((p) => p.Key === "Text")?.Value;
      seen.set(row.backgroundoperationid, text);
    }
    const next = page["@odata.nextLink"];
    if (next === undefined) break;
    page = await client.newRequest({ collection: belowEndpoint(next) });
  }
  assert.equal(seen.size, echoCount, `the pages held ${seen.size} rows, ${echoCount} were submitted`);
  const texts = [...seen.values()].sort();
  const submitted = Array.from({ length: echoCount }, (_, i) => `echo-${i + 1}`).sort();
  assert.deepEqual(texts, submitted, `the rows' Text inputs are not the submitted ones, each once: ${texts}`);
  console.log(`  ${seen.size} rows on ${pages} pages, each once`);

  // 3. The EntitySet API: $count through count(), then $orderby and $top
  // through query().
  begin("entity set: count() and query() with $orderby");
  const counted = await rows.count(client.newFilter().field("name").eq("sample_Echo"));
  assert.equal(counted, echoCount, "@odata.count of the sample_Echo rows");
  const newest = await rows.query(client.newOptions()
    .select(["backgroundoperationid", "createdon"]).orderby("createdon", "desc").top(5));
  assert.ok(Array.isArray(newest) && newest.length === 5, `query(): expected 5 rows, got ${JSON.stringify(newest)}`);
  for (let i = 1; i < newest.length; i += 1) {
    assert.ok(Date.parse(newest[i - 1].createdon) >= Date.parse(newest[i].createdon),
      `$orderby=createdon desc: ${newest[i - 1].createdon} before ${newest[i].createdon}`);
  }

  // 4. One row by key, through the EntitySet API: all of it, then a $select.
  begin("entity set: one row by key");
  const [id, text] = [...seen.entries()][0];
  const row = await rows.retrieve(guidKey(id));
  assert.equal(String(row.backgroundoperationid).toLowerCase(), id.toLowerCase(),
    `backgroundoperations(${id}): not that row: ${JSON.stringify(row)}`);
  // The entity key also answers the article's pollers, so the poll answer's
  // fields (backgroundOperationStateCode, the outputs) stand beside the row.
  for (const c of columns) assert.ok(c in row, `backgroundoperations(${id}): no column ${c}: ${JSON.stringify(row)}`);
  for (const c of internalColumns) assert.ok(!(c in row), `backgroundoperations(${id}): internal column ${c} shown`);
  assert.equal(row.name, "sample_Echo");
  assert.equal(row.backgroundoperationstatecode, 3, `backgroundoperations(${id}): state`);
  assert.equal(row.backgroundoperationstatuscode, 30, `backgroundoperations(${id}): status`);
  assert.equal(row.outputparameters?.find?.((p) => p.Key === "Text")?.Value, text,
    `backgroundoperations(${id}): Echo's output is not its input`);
  const some = await rows.retrieve(guidKey(id), client.newOptions().select(["name", "backgroundoperationstatuscode"]));
  // The key comes with every row, as the platform returns it.
  assert.deepEqual(properties(some), ["backgroundoperationid", "backgroundoperationstatuscode", "name"],
    `backgroundoperations(${id})?$select=name,backgroundoperationstatuscode: the row's columns: ${JSON.stringify(some)}`);
}

try {
  await main();
} catch (e) {
  console.error(`odata client test FAILED at "${step}": ${e.message}`);
  process.exit(1);
}
const headers = Object.entries(sent[0]?.headers ?? {})
  .map(([k, v]) => `${k}: ${k.toLowerCase() === "authorization" ? "Bearer <key>" : v}`);
console.log(`the client sent ${sent.length} requests, each with the headers: ${headers.join("; ")}`);
console.log("odata client test: ok");
