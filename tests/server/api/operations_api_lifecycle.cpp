// Tests server/api/operations_api.hpp end to end: a real server on loopback,
// real HTTP, the sample operations on the thread runner. The life cycle,
// cancel in each state, retries, webhooks and the completion sink, TTL purge.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using nlohmann::json;

BOOST_FIXTURE_TEST_SUITE(server_operations_api, server_fixture)

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
  BOOST_CHECK_EQUAL(body.at("backgroundOperationErrorCode"), 4);
  BOOST_CHECK_EQUAL(body.at("backgroundOperationErrorName"),
                    "BackgroundSessionTimeout");
  BOOST_CHECK_EQUAL(body.at("backgroundOperationErrorMessage"),
                    "The session timed out after 20 ms.");
  BOOST_CHECK_EQUAL(server->store().find(id)->retry_count, 3);
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

BOOST_AUTO_TEST_CASE(
  the_completion_sink_hears_each_operation_with_something_to_deliver_once) {
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
    finished(c.status == operation_status::succeeded ? "receiver unreachable"
                                                     : "");
  });
  BOOST_REQUIRE(!server->start());
  auto c = client();
  auto ok = c.submit("sample_Echo", "{}",
                   {{"Prefer", "respond-async, callback; url=\"http://127.0.0.1:9/\""}});
  auto bad = c.submit("sample_Flaky", R"({"FailTimes": 5})",
                      {{"Prefer", "respond-async, callback; url=\"http://127.0.0.1:9/\""}});
  // No callback and no subscriber: nothing to deliver, so its ending is
  // its notification and the sink never hears of it.
  auto quiet = c.submit("sample_Echo", "{}");
  c.wait_terminal(ok);
  c.wait_terminal(bad);
  c.wait_terminal(quiet);
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
  auto ended = server->store().find(quiet);
  BOOST_CHECK(ended->notified);
  BOOST_CHECK(ended->delivery_failure.empty());
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
