// Tests `POST /api/$batch` (server/api/batch_endpoint.hpp) end to end: a real
// server on loopback. Each item must answer exactly what it would answer
// alone, the accepted ones stored before the answer; the format's limits
// answer 400 naming the problem.
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <map>
#include <set>
#include <string>

#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using nlohmann::json;

namespace {

const std::string batch_path = "/api/$batch";
const std::string submit_path = "/api/data/v9.2/";

json echo_item(const std::string& id, const std::string& text) {
  return {{"id", id},
          {"method", "POST"},
          {"url", submit_path + "sample_Echo"},
          {"headers", {{"Prefer", "respond-async"}}},
          {"body", {{"Text", text}}}};
}

/// Sends `item` alone, as a client would without `$batch`.
api_response alone(api_client& c, const json& item) {
  api_client::headers headers;
  if (item.contains("headers"))
    for (auto& [name, value] : item["headers"].items())
      headers[name] = value.get<std::string>();
  auto body = item.contains("body") ? item["body"].dump() : std::string{};
  auto method
    = boost::beast::http::string_to_verb(item["method"].get<std::string>());
  return c.request(method, item["url"].get<std::string>(), body, headers);
}

std::map<std::string, std::string> lower_headers(const json& headers) {
  std::map<std::string, std::string> out;
  for (auto& [name, value] : headers.items()) {
    auto lower = name;
    for (auto& ch : lower)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out[lower] = value.get<std::string>();
  }
  return out;
}

/// Checks that batch answer `got` is exactly the lone answer `want`, but
/// for `Content-Length`, which measured the lone body.
void check_same(const json& got, const api_response& want) {
  BOOST_TEST_CONTEXT("item " << got.at("id") << ": " << got.dump()) {
    BOOST_CHECK_EQUAL(got.at("status").get<unsigned>(), want.status);
    BOOST_CHECK_EQUAL(got.at("body"), want.json());
    auto headers = want.headers;
    headers.erase("content-length");
    BOOST_CHECK(lower_headers(got.at("headers")) == headers);
  }
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_batch_submit, server_fixture)

BOOST_AUTO_TEST_CASE(good_items_are_stored_and_bad_ones_answer_as_alone) {
  start();
  auto c = client();
  auto sync = echo_item("sync", "s");
  sync["headers"] = json::object();
  auto own_key = echo_item("own-key", "k");
  own_key["headers"]["Authorization"] = std::string{"Bearer "} + bob_key;
  json bad{
    {{"id", "unknown-op"},
     {"method", "POST"},
     {"url", submit_path + "sample_Nope"},
     {"headers", {{"Prefer", "respond-async"}}},
     {"body", json::object()}},
    {{"id", "bad-param"},
     {"method", "POST"},
     {"url", submit_path + "sample_Echo"},
     {"headers", {{"Prefer", "respond-async"}}},
     {"body", {{"Nope", 1}}}},
    {{"id", "bad-type"},
     {"method", "POST"},
     {"url", submit_path + "sample_Wait"},
     {"headers", {{"Prefer", "respond-async"}}},
     {"body", {{"Wait", "soon"}}}},
    {{"id", "get"}, {"method", "GET"}, {"url", submit_path + "sample_Wait"}},
    {{"id", "no-path"}, {"method", "POST"}, {"url", "/api/nowhere"}},
    {{"id", "dot-path"}, {"method", "POST"}, {"url", "/api/../healthz"}},
    {{"id", "list-post"},
     {"method", "POST"},
     {"url", "/api/backgroundoperations"}},
    {{"id", "refused-callback"},
     {"method", "POST"},
     {"url", submit_path + "sample_Echo"},
     {"headers", {{"Prefer", "respond-async, callback; url=\"ftp://x\""}}}},
    {{"id", "long-key"},
     {"method", "POST"},
     {"url", submit_path + "sample_Echo"},
     {"headers",
      {{"Prefer", "respond-async"},
       {"Idempotency-Key", std::string(256, 'k')}}}},
  };
  auto requests = json::array();
  requests.push_back(echo_item("1", "a"));
  for (auto& item : bad)
    requests.push_back(item);
  requests.push_back(echo_item("2", "b"));
  auto hook = echo_item("hooked", "h");
  hook["headers"]["Prefer"]
    = "respond-async, callback; url=\"http://127.0.0.1:9/cb\"";
  requests.push_back(hook);
  // Not submits, or not alone: 400 naming why.
  requests.push_back(
    {{"id", "healthz"}, {"method", "GET"}, {"url", "/healthz"}});
  requests.push_back(sync);
  requests.push_back(own_key);

  auto res = c.post(batch_path, json{{"requests", requests}}.dump());
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  auto responses = res.json().at("responses");
  BOOST_REQUIRE_EQUAL(responses.size(), requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i)
    BOOST_CHECK_EQUAL(responses[i].at("id"), requests[i].at("id"));
  // Every error item: exactly what it answers alone.
  for (std::size_t i = 1; i <= bad.size(); ++i)
    check_same(responses[i], alone(c, requests[i]));
  BOOST_CHECK_EQUAL(responses[4].at("headers").at("Allow"), "POST");
  // The accepted ones: committed before the answer, shaped as alone.
  std::set<std::string> ids;
  for (auto i : {std::size_t{0}, bad.size() + 1, bad.size() + 2}) {
    auto& item = responses[i];
    BOOST_REQUIRE_EQUAL(item.at("status"), 202);
    auto id = item.at("body").at("backgroundOperationId").get<std::string>();
    ids.insert(id);
    BOOST_CHECK(server->store().find(id));
    auto lone = alone(c, requests[i]);
    auto lone_id = lone.json().at("backgroundOperationId").get<std::string>();
    auto expected = lone.json();
    expected["backgroundOperationId"] = id;
    expected["location"] = server->base_url() + api_client::status_path(id);
    BOOST_CHECK_EQUAL(item.at("body"), expected);
    auto headers = lower_headers(item.at("headers"));
    BOOST_CHECK_EQUAL(headers.at("location"), expected["location"]);
    BOOST_CHECK_EQUAL(headers.at("x-ms-dyn-backgroundoperationid"), id);
    lone.headers.erase("content-length");
    BOOST_CHECK_EQUAL(headers.size(), lone.headers.size());
    BOOST_CHECK_EQUAL(headers.at("preference-applied"),
                      lone.header("preference-applied"));
    BOOST_CHECK_EQUAL(headers.at("retry-after"), "60");
    BOOST_CHECK(c.wait_terminal(id).at("backgroundOperationStatusCode") == 30);
    c.wait_terminal(lone_id);
  }
  BOOST_CHECK_EQUAL(c.status(*ids.begin()).at("backgroundOperationStatusCode"),
                    30);
  auto last = responses.size() - 1;
  for (auto i : {last - 2, last - 1, last})
    BOOST_CHECK_EQUAL(responses[i].at("status"), 400);
  BOOST_CHECK_EQUAL(
    responses[last - 2].at("body").at("error").at("message"),
    "Only submits (POST /api/data/v9.2/<operation>, or GET of a function) "
    "may be part of a "
    "$batch request, not 'GET /healthz'.");
  BOOST_CHECK_EQUAL(
    responses[last - 1].at("body").at("error").at("message"),
    "A $batch item must ask for 'Prefer: respond-async': a synchronous run "
    "cannot be part of the $batch answer. Send it alone to wait for its "
    "outcome.");
  BOOST_CHECK_EQUAL(
    responses[last].at("body").at("error").at("message"),
    "A $batch item may not carry its own Authorization header: the key of "
    "the $batch request submits every item.");
  // Three from the batch, three sent alone to compare.
  BOOST_CHECK_EQUAL(stored_count(), 6u);
  BOOST_CHECK_EQUAL(server->store().find(*ids.begin())->run_as, "alice");
}

BOOST_AUTO_TEST_CASE(a_thousand_items_fit_and_one_more_answers_400) {
  start();
  auto c = client();
  auto requests = json::array();
  for (int i = 0; i < 1000; ++i) {
    auto item = echo_item(std::to_string(i), "item " + std::to_string(i));
    // Each item as a client would fill it: a callback and a key.
    item["headers"]["Prefer"]
      = "respond-async, callback; url=\"http://127.0.0.1:9/cb\"";
    item["headers"]["Idempotency-Key"] = "order-" + std::to_string(i);
    requests.push_back(item);
  }
  auto res = c.post(batch_path, json{{"requests", requests}}.dump());
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  auto responses = res.json().at("responses");
  BOOST_REQUIRE_EQUAL(responses.size(), 1000u);
  std::set<std::string> ids;
  for (auto& item : responses) {
    BOOST_CHECK_EQUAL(item.at("status"), 202);
    ids.insert(item.at("body").at("backgroundOperationId").get<std::string>());
  }
  BOOST_CHECK_EQUAL(ids.size(), 1000u);
  BOOST_CHECK_EQUAL(responses[999].at("id"), "999");
  BOOST_CHECK_EQUAL(stored_count(), 1000u);

  requests.push_back(echo_item("1000", "one too many"));
  check_error(
    c.post(batch_path, json{{"requests", requests}}.dump()), 400,
    "The $batch request has 1001 requests; at most 1000 may be sent in one.");
  BOOST_CHECK_EQUAL(stored_count(), 1000u);
}

BOOST_AUTO_TEST_CASE(
  an_idempotency_key_repeated_in_a_batch_names_one_operation) {
  start();
  auto c = client();
  auto first = echo_item("1", "a");
  first["headers"]["Idempotency-Key"] = "order-9";
  auto again = first;
  again["id"] = "2";
  // The same body, spelled otherwise: still the same request.
  again["body"] = json::parse(R"({ "Text" : "a" })");
  auto other = echo_item("3", "b");
  other["headers"]["idempotency-key"] = "order-9";
  auto res
    = c.post(batch_path, json{{"requests", {first, again, other}}}.dump());
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  auto responses = res.json().at("responses");
  BOOST_REQUIRE_EQUAL(responses.size(), 3u);
  BOOST_CHECK_EQUAL(responses[0].at("status"), 202);
  // The repeat answers what a repeat alone answers: the same operation.
  // Only its state may have moved on since the batch's answer.
  BOOST_CHECK_EQUAL(responses[1].at("headers"), responses[0].at("headers"));
  BOOST_CHECK_EQUAL(responses[1].at("body"), responses[0].at("body"));
  auto repeat = alone(c, first);
  auto state = repeat.json();
  auto expected = responses[1];
  for (std::string code :
       {"backgroundOperationStateCode", "backgroundOperationStatusCode"})
    for (auto& key :
         {code, code + "@OData.Community.Display.V1.FormattedValue"})
      expected["body"][key] = state[key];
  check_same(expected, repeat);
  check_same(responses[2], alone(c, other));
  BOOST_CHECK_EQUAL(responses[2].at("status"), 422);
  BOOST_CHECK_EQUAL(stored_count(), 1u);
}

BOOST_AUTO_TEST_CASE(a_body_not_in_the_batch_format_answers_400_naming_it) {
  start();
  auto c = client();
  auto item = echo_item("1", "a");
  auto second = echo_item("1", "b");
  auto depends = echo_item("2", "b");
  depends["dependsOn"] = json::array({"1"});
  auto no_url = echo_item("1", "a");
  no_url.erase("url");
  auto bad_header = echo_item("1", "a");
  bad_header["headers"]["Prefer"] = 1;
  std::map<std::string, std::string> cases{
    {"",
     "The $batch request body must be a JSON object with a 'requests' array."},
    {"[1]",
     "The $batch request body must be a JSON object with a 'requests' array."},
    {"{\"requests\": {}}",
     "The $batch request body must be a JSON object with a 'requests' array."},
    {"{\"requests\": [", "The request body is not valid JSON."},
    {json{{"requests", json::array()}, {"extra", 1}}.dump(),
     "The $batch request body may hold only 'requests'."},
    {json{{"requests", {1}}}.dump(), "requests[0] must be a JSON object."},
    {json{{"requests", {no_url}}}.dump(), "requests[0] has no url."},
    {json{{"requests", {item, second}}}.dump(),
     "requests[1].id '1' is used by an earlier item; ids must be unique."},
    {json{{"requests", {item, depends}}}.dump(),
     "requests[1].dependsOn is not supported: each item of a $batch request "
     "stands "
     "alone."},
    {json{{"requests", {bad_header}}}.dump(),
     "requests[0].headers.Prefer must be a string."},
  };
  for (auto& [body, message] : cases) {
    BOOST_TEST_CONTEXT(body) {
      check_error(c.post(batch_path, body), 400, message);
    }
  }
  BOOST_CHECK_EQUAL(stored_count(), 0u);
  // The batch's key authorises every item; without one nothing runs.
  check_error(client("").post(batch_path, json{{"requests", {item}}}.dump()),
              401);
  BOOST_CHECK_EQUAL(stored_count(), 0u);
  auto empty = c.post(batch_path, R"({"requests": []})");
  BOOST_CHECK_EQUAL(empty.status, 200u);
  BOOST_CHECK_EQUAL(empty.json(), (json{{"responses", json::array()}}));
}

BOOST_AUTO_TEST_SUITE_END()
