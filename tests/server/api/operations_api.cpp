// Tests server/api/operations_api.hpp end to end: a real server on loopback,
// real HTTP, the sample operations on the thread runner. Every endpoint and
// error of issue 6, the life cycle, cancel in each state, retries,
// idempotency, authentication and isolation, TTL purge and /metrics.
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
  BOOST_CHECK_EQUAL(body.size(), 4u);
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
  auto ok_body = c.wait_terminal(ok);
  BOOST_CHECK_EQUAL(ok_body,
                    (json{{"Text", "x"},
                          {"backgroundOperationStateCode", 3},
                          {"backgroundOperationStatusCode", 30}}));
  auto bad = c.submit("sample_Flaky", R"({"FailTimes": 1})");
  auto bad_body = c.wait_terminal(bad);
  BOOST_CHECK_EQUAL(bad_body.at("backgroundOperationStatusCode"), 31);
  BOOST_CHECK_EQUAL(bad_body.at("backgroundOperationErrorCode"), "Dialog");
  BOOST_CHECK_EQUAL(bad_body.at("backgroundOperationErrorMessage"),
                    "Attempt 1 failed on purpose.");
  BOOST_CHECK(!bad_body.contains("attempts"));
  // No Retry-After once complete; one while it runs.
  BOOST_CHECK_EQUAL(c.get(api_client::status_path(ok)).header("retry-after"), "");
  auto slow = c.submit("sample_Wait", R"({"Wait": 60000})");
  BOOST_CHECK_EQUAL(c.get(api_client::status_path(slow)).header("retry-after"), "60");
  BOOST_CHECK_EQUAL(c.del(api_client::status_path(slow)).status, 200u);
}

// -- the life cycle and cancel ------------------------------------------------

BOOST_AUTO_TEST_CASE(life_cycle_ready_in_progress_succeeded) {
  start();
  auto c = client();
  auto id = c.submit("sample_Wait", R"({"Wait": 300})");
  std::set<int> seen;
  api_client::wait_until(std::chrono::seconds(20), "the operation to finish",
                         [&] {
                           auto last = c.status(id);
                           seen.insert(last.at("backgroundOperationStatusCode")
                                         .get<int>());
                           return last.at("backgroundOperationStateCode") == 3;
                         });
  BOOST_CHECK(seen.count(20) == 1);
  BOOST_CHECK(seen.count(30) == 1);
  auto rec = server->store().find(id);
  BOOST_REQUIRE(rec && rec->start_time && rec->end_time);
  BOOST_CHECK_LE(*rec->start_time, *rec->end_time);
  BOOST_CHECK_EQUAL(rec->run_as, "alice");
  BOOST_CHECK_EQUAL(rec->retry_count, 0);
}

BOOST_AUTO_TEST_CASE(cancel_while_a_retry_is_pending_means_no_retry) {
  // A failed attempt waits an hour for its retry; canceled, it never retries.
  start([](serve_config& cfg) {
    cfg.operations.retry_initial_backoff = std::chrono::hours(1);
    cfg.operations.retry_max_backoff = std::chrono::hours(1);
  });
  auto c = client();
  // A Flaky that fails waits an hour for its retry, Ready all the while.
  auto id = c.submit("sample_Flaky", R"({"FailTimes": 1})");
  api_client::wait_until(std::chrono::seconds(10), "the first failure", [&] {
    return server->store().find(id)->retry_count > 0;
  });
  auto res = c.del(api_client::status_path(id));
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  BOOST_CHECK_EQUAL(res.json(), (json{{"backgroundOperationStateCode", 2},
                                      {"backgroundOperationStatusCode", 22}}));
  auto body = c.wait_terminal(id);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationStatusCode"), 32);
  BOOST_CHECK_EQUAL(server->store().find(id)->retry_count, 1);
}

BOOST_AUTO_TEST_CASE(cancel_while_running_does_not_abort_and_prevents_retry) {
  start();
  auto c = client();
  auto ok = c.submit("sample_Wait", R"({"Wait": 200})");
  c.wait_status(ok, 20);
  BOOST_CHECK_EQUAL(c.del(api_client::status_path(ok)).status, 200u);
  BOOST_CHECK_EQUAL(c.get(api_client::status_path(ok)).json().at(
                      "backgroundOperationStatusCode"),
                    22);
  auto body = c.wait_terminal(ok);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationStatusCode"), 30);
  BOOST_CHECK_EQUAL(body.at("waited"), "200");
}

BOOST_AUTO_TEST_CASE(cancel_of_a_terminal_operation_is_refused_with_the_text) {
  start();
  auto c = client();
  auto id = c.submit("sample_Echo", "{}");
  c.wait_terminal(id);
  check_error(c.del(api_client::status_path(id)), 400,
              "Canceling background operation is not allowed after it is in "
              "terminal state.");
}

// -- retries ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(flaky_succeeds_on_its_third_retry_and_keeps_the_count) {
  start();
  auto c = client();
  auto id = c.submit("sample_Flaky", R"({"FailTimes": 3})");
  auto body = c.wait_terminal(id);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationStatusCode"), 30);
  BOOST_CHECK_EQUAL(body.at("attempts"), "4");
  auto rec = server->store().find(id);
  BOOST_CHECK_EQUAL(rec->retry_count, 3);
  // The last error stays on record.
  BOOST_CHECK_EQUAL(rec->error_message, "Attempt 3 failed on purpose.");
}

BOOST_AUTO_TEST_CASE(after_three_retries_the_operation_fails) {
  start();
  auto c = client();
  auto id = c.submit("sample_Flaky", R"({"FailTimes": 4})");
  auto body = c.wait_terminal(id);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationStatusCode"), 31);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationErrorMessage"),
                    "Attempt 4 failed on purpose.");
  BOOST_CHECK_EQUAL(server->store().find(id)->retry_count, 3);
}

BOOST_AUTO_TEST_CASE(an_attempt_over_its_limit_times_out_and_is_retried) {
  BOOST_REQUIRE(!registry.add({"test_Slow", "Slow",
                               samples::operation_wait_codeunit,
                               {{"Wait", parameter_type::integer, true}},
                               std::chrono::milliseconds(20)}));
  start();
  auto c = client();
  auto id = c.submit("test_Slow", R"({"Wait": 5000})");
  auto body = c.wait_terminal(id);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationStatusCode"), 31);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationErrorCode"),
                    "BackgroundSessionTimeout");
  BOOST_CHECK_EQUAL(body.at("backgroundOperationErrorMessage"),
                    "The session timed out after 20 ms.");
  BOOST_CHECK_EQUAL(server->store().find(id)->retry_count, 3);
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
                                    {"parameters",
                                     {{{"name", "Text"}, {"type", "String"}, {"required", false}},
                                      {{"name", "Number"}, {"type", "Integer"}, {"required", false}}}}}));
  BOOST_CHECK_EQUAL(value[4].at("parameters"),
                    (json{{{"name", "Flag"}, {"type", "Boolean"}, {"required", false}},
                          {{"name", "Count"}, {"type", "Integer"}, {"required", true}}}));
  BOOST_CHECK_EQUAL(value[0].at("parameters"), json::array());
  check_error(client("").get(submit_path), 401);
  check_error(client().get("/api/data/v9.2"), 404);
}

// -- webhooks -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(webhooks_are_validated_and_stored) {
  start();
  auto root = client(admin_key);
  auto res = root.post("/api/webhooks",
                       R"({"event": "OnBackgroundOperationComplete",
                           "url": "http://127.0.0.1:9/events"})");
  BOOST_REQUIRE_EQUAL(res.status, 201u);
  auto hooks = server->store().webhooks("OnBackgroundOperationComplete");
  BOOST_REQUIRE_EQUAL(hooks.size(), 1u);
  BOOST_CHECK_EQUAL(hooks[0].url, "http://127.0.0.1:9/events");
  BOOST_CHECK_EQUAL(hooks[0].id, res.json().at("id"));
  check_error(root.post("/api/webhooks", R"({"event": "Other", "url": "http://x"})"),
              400);
  check_error(root.post("/api/webhooks",
                        R"({"event": "OnBackgroundOperationComplete", "url": "file:///etc"})"),
              400);
  check_error(root.post("/api/webhooks", "{"), 400);
  check_error(client(alice_key).post("/api/webhooks",
                                     R"({"event": "OnBackgroundOperationComplete",
                                         "url": "http://127.0.0.1:9/"})"),
              403);
}

BOOST_AUTO_TEST_CASE(the_completion_sink_hears_each_operation_once) {
  std::mutex mtx;
  std::vector<operation_completion> heard;
  cfg.operations.max_retries = 1;
  rt = std::make_unique<runtime>(cfg);
  BOOST_REQUIRE(!samples::register_sample_codeunits(rt->codeunits()));
  BOOST_REQUIRE(!register_sample_operations(registry));
  runner = std::make_unique<session_operation_runner>(*rt);
  server = std::make_unique<operation_server>(cfg, registry, *runner,
                                              make_logger("off"));
  server->set_completion_sink([&](const operation_completion& c,
                                  delivery_finished finished) {
    {
      std::lock_guard<std::mutex> guard{mtx};
      heard.push_back(c);
    }
    finished(c.callback_url.empty() ? "" : "receiver unreachable");
  });
  BOOST_REQUIRE(!server->start());
  auto c = client();
  auto ok = c.submit("sample_Echo", "{}",
                   {{"Prefer", "respond-async, callback; url=\"http://127.0.0.1:9/\""}});
  auto bad = c.submit("sample_Flaky", R"({"FailTimes": 5})");
  c.wait_terminal(ok);
  c.wait_terminal(bad);
  // The sink hears of an operation just after it turned terminal; after a
  // shutdown nothing is left to hear.
  server->shutdown();
  std::lock_guard<std::mutex> guard{mtx};
  BOOST_REQUIRE_EQUAL(heard.size(), 2u);
  for (auto& h : heard) {
    BOOST_CHECK_EQUAL(h.location, server->base_url() + api_client::status_path(h.id));
    if (h.id == ok) {
      BOOST_CHECK(h.status == operation_status::succeeded);
      BOOST_CHECK_EQUAL(h.callback_url, "http://127.0.0.1:9/");
      BOOST_CHECK(h.error_message.empty());
    } else {
      BOOST_CHECK(h.status == operation_status::failed);
      BOOST_CHECK_EQUAL(h.error_message, "Attempt 2 failed on purpose.");
    }
  }
  BOOST_CHECK_EQUAL(server->store().find(ok)->delivery_failure,
                    "receiver unreachable");
  BOOST_CHECK(server->store().find(bad)->notified);
}

// -- TTL ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(expired_operations_are_purged) {
  start([](serve_config& cfg) {
    cfg.operations.ttl = std::chrono::seconds(1);
    cfg.operations.ttl_purge_interval = std::chrono::milliseconds(20);
    cfg.operations.ttl_purge_batch = 2;
  });
  auto c = client();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(c.submit("sample_Echo", "{}"));
  BOOST_CHECK_EQUAL(c.get(api_client::status_path(ids[0])).status, 200u);
  api_client::wait_until(std::chrono::seconds(10), "the purge",
                         [&] { return stored_count() == 0; });
  for (auto& id : ids)
    check_error(c.get(api_client::status_path(id)), 404);
}

BOOST_AUTO_TEST_SUITE_END()
