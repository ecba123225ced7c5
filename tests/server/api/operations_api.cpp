// Tests server/api/operations_api.hpp end to end: a real server on loopback,
// real HTTP, the sample operations on the thread runner. Submit, status,
// idempotency, authentication and isolation, and discovery; the life cycle,
// cancel, retries, webhooks and TTL are in operations_api_lifecycle.cpp.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using nlohmann::json;

namespace {

const std::string submit_path = "/api/data/v9.2/";

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_operations_api, server_fixture)

// -- submit -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(submit_answers_202_after_commit_with_the_spec_headers) {
  start();
  auto c = client();
  auto res = c.post(submit_path + "sample_Wait", R"({"Wait": 1})",
                    {{"Prefer", "respond-async"}});
  BOOST_REQUIRE_EQUAL(res.status, 202u);
  auto body = res.json();
  auto id = body.at("backgroundOperationId").get<std::string>();
  auto location = server->base_url() + api_client::status_path(id);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationStateCode"), 0);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationStatusCode"), 0);
  BOOST_CHECK_EQUAL(body.at("location"), location);
  // The labels beside the codes, as the platform's 202 shows them.
  BOOST_CHECK_EQUAL(
    body.at("backgroundOperationStateCode@OData.Community.Display.V1.FormattedValue"),
    "Ready");
  BOOST_CHECK_EQUAL(
    body.at("backgroundOperationStatusCode@OData.Community.Display.V1.FormattedValue"),
    "Waiting For Resources");
  BOOST_CHECK_EQUAL(body.size(), 6u);
  BOOST_CHECK_EQUAL(res.header("location"), location);
  BOOST_CHECK_EQUAL(res.header("x-ms-dyn-backgroundoperationid"), id);
  BOOST_CHECK_EQUAL(res.header("preference-applied"), "respond-async");
  BOOST_CHECK_EQUAL(res.header("retry-after"), "60");
  // Committed before the answer: the store has it already.
  BOOST_CHECK(server->store().find(id));
  auto done = c.wait_terminal(id);
  BOOST_CHECK_EQUAL(done.at("backgroundOperationStatusCode"), 30);
  BOOST_CHECK_EQUAL(done.at("waited"), "1");
}

BOOST_AUTO_TEST_CASE(a_callback_preference_is_stored_and_applied) {
  start();
  auto c = client();
  auto res = c.post(submit_path + "sample_Echo", R"({"Text": "hi"})",
                    {{"Prefer", "respond-async, callback; "
                                "url=\"http://127.0.0.1:9/hook?a=1\""}});
  BOOST_REQUIRE_EQUAL(res.status, 202u);
  BOOST_CHECK_EQUAL(res.header("preference-applied"), "callback");
  auto rec = server->store().find(
    res.json().at("backgroundOperationId").get<std::string>());
  BOOST_REQUIRE(rec);
  BOOST_CHECK_EQUAL(rec->callback_url, "http://127.0.0.1:9/hook?a=1");
  auto bad = c.post(submit_path + "sample_Echo", "{}",
                    {{"Prefer", "respond-async, callback; url=\"ftp://x\""}});
  check_error(bad, 400);
}

BOOST_AUTO_TEST_CASE(without_respond_async_the_operation_runs_synchronously) {
  start();
  auto c = client();
  auto res = c.post(submit_path + "sample_Echo",
                    R"({"Text": "hello", "Number": 7})");
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  BOOST_CHECK_EQUAL(res.json(), (json{{"Text", "hello"}, {"Number", "7"}}));
  auto id = res.header("x-ms-dyn-backgroundoperationid");
  auto rec = server->store().find(id);
  BOOST_REQUIRE(rec);
  BOOST_CHECK(rec->status == operation_status::succeeded);
  auto failed = c.post(submit_path + "sample_Flaky", R"({"FailTimes": 9})");
  check_error(failed, 500, "Attempt 4 failed on purpose.");
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused_and_nothing_is_stored) {
  start();
  auto c = client();
  auto async = api_client::headers{{"Prefer", "respond-async"}};
  check_error(c.post(submit_path + "sample_Wait", "{\"Wait\": ", async), 400,
              "The request body is not valid JSON.");
  check_error(c.post(submit_path + "sample_Wait", "{}", async), 400,
              "The required parameter 'Wait' is missing.");
  check_error(c.post(submit_path + "sample_Wait", R"({"Wait": "10"})", async),
              400, "The parameter 'Wait' must be of type Integer.");
  check_error(c.post(submit_path + "sample_Wait", R"({"Wait": 1, "X": 1})",
                     async),
              400, "The operation 'sample_Wait' has no parameter 'X'.");
  check_error(c.post(submit_path + "sample_Wait", "[1]", async), 400);
  check_error(c.post(submit_path + "sample_Nope", "{}", async), 404,
              "Resource not found for the segment 'sample_Nope'.");
  BOOST_CHECK_EQUAL(stored_count(), 0u);
}

// -- status -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(status_of_unknown_and_malformed_ids_is_404_with_the_text) {
  start();
  auto c = client();
  auto id = std::string{"0f6f8700-6e21-4a39-adb3-db3bb306b884"};
  check_error(c.get(api_client::status_path(id)), 404,
              "Could not find item '" + id + "'.");
  check_error(c.get(api_client::status_path("not-a-guid")), 404,
              "Could not find item 'not-a-guid'.");
  check_error(c.del(api_client::status_path("not-a-guid")), 404,
              "Could not find item 'not-a-guid'.");
}

BOOST_AUTO_TEST_CASE(status_shows_outputs_on_success_and_errors_on_failure) {
  start([](serve_config& cfg) {
    cfg.operations.max_retries = 0;
  });
  auto c = client();
  auto ok = c.submit("sample_Echo", R"({"Text": "x"})");
  c.wait_terminal(ok);
  // The article's poll path answers the poll fields alone; the entity key
  // adds the row.
  auto ok_body = c.get("/api/backgroundOperation/" + ok).json();
  BOOST_CHECK_EQUAL(ok_body,
                    (json{{"Text", "x"},
                          {"backgroundOperationStateCode", 3},
                          {"backgroundOperationStatusCode", 30}}));
  auto bad = c.submit("sample_Flaky", R"({"FailTimes": 1})");
  auto bad_body = c.wait_terminal(bad);
  BOOST_CHECK_EQUAL(bad_body.at("backgroundOperationStatusCode"), 31);
  // The code is an Integer, as the platform's table has it; the name beside.
  BOOST_CHECK_EQUAL(bad_body.at("backgroundOperationErrorCode"), 1);
  BOOST_CHECK_EQUAL(bad_body.at("backgroundOperationErrorName"), "Dialog");
  BOOST_CHECK_EQUAL(bad_body.at("backgroundOperationErrorMessage"),
                    "Attempt 1 failed on purpose.");
  BOOST_CHECK(!bad_body.contains("attempts"));
  // No Retry-After once complete; one while it runs.
  BOOST_CHECK_EQUAL(c.get(api_client::status_path(ok)).header("retry-after"), "");
  auto slow = c.submit("sample_Wait", R"({"Wait": 60000})");
  BOOST_CHECK_EQUAL(c.get(api_client::status_path(slow)).header("retry-after"), "60");
  BOOST_CHECK_EQUAL(c.del(api_client::status_path(slow)).status, 200u);
}

// -- idempotency --------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_idempotency_key_returns_the_same_operation) {
  start();
  auto c = client();
  api_client::headers key{{"Idempotency-Key", "order-1"}};
  auto first = c.submit("sample_Echo", R"({"Text": "a", "Number": 1})", key);
  // Same body, other formatting and key order: the same operation.
  auto again = c.submit("sample_Echo", R"({ "Number": 1, "Text": "a" })", key);
  BOOST_CHECK_EQUAL(first, again);
  auto res = c.post(submit_path + "sample_Echo", R"({"Text": "b"})",
                    {{"Prefer", "respond-async"}, {"Idempotency-Key", "order-1"}});
  check_error(res, 422);
  // Keys are per user: bob's order-1 is another operation.
  auto b = client(bob_key);
  BOOST_CHECK_NE(b.submit("sample_Echo", R"({"Text": "b"})", key), first);
  BOOST_CHECK_EQUAL(stored_count(), 2u);
}

// -- authentication and isolation ---------------------------------------------

BOOST_AUTO_TEST_CASE(users_see_and_cancel_only_their_own_operations) {
  start();
  auto alice = client(alice_key);
  auto bob = client(bob_key);
  auto root = client(admin_key);
  auto id = alice.submit("sample_Wait", R"({"Wait": 60000})");
  auto hidden = "Could not find item '" + id + "'.";
  check_error(bob.get(api_client::status_path(id)), 404, hidden);
  check_error(bob.del(api_client::status_path(id)), 404, hidden);
  BOOST_CHECK(bob.get("/api/backgroundoperations").json().at("value").empty());
  BOOST_CHECK_EQUAL(root.get(api_client::status_path(id)).status, 200u);
  BOOST_CHECK_EQUAL(root.get("/api/backgroundoperations").json().at("value").size(),
                    1u);
  BOOST_CHECK_EQUAL(root.del(api_client::status_path(id)).status, 200u);
  BOOST_CHECK_EQUAL(server->store().find(id)->run_as, "alice");
}

// -- discovery ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(the_catalog_lists_every_operation_and_its_parameters) {
  BOOST_REQUIRE(!registry.add({"test_Typed", "Typed", samples::operation_echo_codeunit,
                               {{"Flag", parameter_type::boolean, false},
                                {"Count", parameter_type::integer, true}}}));
  start();
  auto res = client().get(submit_path);
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  auto value = res.json().at("value");
  std::vector<std::string> names;
  for (auto& op : value)
    names.push_back(op.at("name").get<std::string>());
  BOOST_CHECK((names == std::vector<std::string>{"sample_BlockCustomers", "sample_Echo",
                                                 "sample_Flaky", "sample_Wait",
                                                 "test_Typed"}));
  BOOST_CHECK_EQUAL(value[1], (json{{"name", "sample_Echo"},
                                    {"displayName", "Echo"},
                                    {"kind", "function"},
                                    {"parameters",
                                     {{{"name", "Text"}, {"type", "String"}, {"required", false}},
                                      {{"name", "Number"}, {"type", "Integer"}, {"required", false}}}}}));
  BOOST_CHECK_EQUAL(value[4].at("parameters"),
                    (json{{{"name", "Flag"}, {"type", "Boolean"}, {"required", false}},
                          {{"name", "Count"}, {"type", "Integer"}, {"required", true}}}));
  BOOST_CHECK_EQUAL(value[0].at("parameters"), json::array());
  BOOST_CHECK_EQUAL(value[3].at("kind"), "action");
  check_error(client("").get(submit_path), 401);
  check_error(client().get("/api/data/v9.2"), 404);
}

BOOST_AUTO_TEST_SUITE_END()
