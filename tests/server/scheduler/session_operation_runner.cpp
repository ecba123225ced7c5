// Tests server/scheduler/session_operation_runner.hpp on a real runtime: each
// attempt is a background session, and each session outcome reaches the server
// as exactly one operation result.
#include <boost/test/unit_test.hpp>

#include <future>

#include "samples/sample_codeunits.hpp"
#include "server/scheduler/session_operation_runner.hpp"
#include "tests/support/server_fixture.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using status = operation_result::status;

namespace {

struct runner_fixture {
  test::temp_data_dir data;
  config cfg;
  std::unique_ptr<runtime> rt;
  std::unique_ptr<session_operation_runner> runner;

  runner_fixture() {
    cfg.log_level = "off";
    cfg.data_dir = data.path.string();
    cfg.sessions.max_concurrent = 1;
    cfg.sessions.max_queued = 1;
    restart();
  }

  /// A new runtime and runner on `cfg` as it is now.
  void restart() {
    runner.reset();
    rt.reset();
    rt = std::make_unique<runtime>(cfg);
    BOOST_REQUIRE(!samples::register_sample_codeunits(rt->codeunits()));
    runner = std::make_unique<session_operation_runner>(*rt);
  }

  /// One attempt: its id, whether it began, and its result.
  struct attempt {
    caf::expected<std::uint64_t> id;
    std::shared_ptr<std::atomic<int>> starts;
    std::shared_future<operation_result> result;

    /// The result, which must come within 10 s.
    operation_result get() const {
      BOOST_REQUIRE_MESSAGE(result.wait_for(std::chrono::seconds(10))
                              == std::future_status::ready,
                            "no result within 10 s");
      return result.get();
    }
  };

  /// Starts an attempt, counting its starts and keeping its result.
  attempt start(codeunit_id codeunit, dictionary inputs,
                caf::timespan limit = std::chrono::minutes(2)) {
    auto done = std::make_shared<std::promise<operation_result>>();
    auto starts = std::make_shared<std::atomic<int>>(0);
    operation_run run;
    run.codeunit = codeunit;
    run.inputs = std::move(inputs);
    run.user = "ALICE";
    run.limit = limit;
    auto id = runner->start(
      std::move(run), [starts] { ++*starts; },
      [done, starts](operation_result r) {
        // `started` comes first, if at all: a result never overtakes it.
        r.outputs["starts_seen"] = std::to_string(starts->load());
        done->set_value(std::move(r));
      });
    return {std::move(id), starts, done->get_future().share()};
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_session_operation_runner, runner_fixture)

BOOST_AUTO_TEST_CASE(an_attempt_longer_than_the_runtime_wait_timeout_keeps_its_outcome) {
  // The subscriptions give up after 20 ms and must ask again: taken for
  // stopped, the attempt would be retried while its session still runs.
  cfg.runtime_wait_timeout = std::chrono::milliseconds(20);
  restart();
  auto a = start(samples::wait_codeunit, {{"Wait", "200"}});
  BOOST_REQUIRE(a.id);
  auto r = a.get();
  BOOST_CHECK(r.what == status::succeeded);
  BOOST_CHECK_EQUAL(r.outputs.at("waited"), "200");
  BOOST_CHECK_EQUAL(r.outputs.at("starts_seen"), "1");
}

BOOST_AUTO_TEST_CASE(a_completed_session_is_a_succeeded_attempt) {
  auto a = start(samples::wait_codeunit, {{"Wait", "1"}});
  BOOST_REQUIRE(a.id);
  auto r = a.get();
  BOOST_CHECK(r.what == status::succeeded);
  BOOST_CHECK_EQUAL(r.outputs.at("waited"), "1");
  BOOST_CHECK_EQUAL(r.outputs.at("starts_seen"), "1");
}

BOOST_AUTO_TEST_CASE(a_failed_session_carries_its_error) {
  auto a = start(samples::fail_codeunit, {{"Message", "No stock."}});
  BOOST_REQUIRE(a.id);
  auto r = a.get();
  BOOST_CHECK(r.what == status::failed);
  BOOST_CHECK_EQUAL(r.error_code, "Dialog");
  BOOST_CHECK_EQUAL(r.error_message, "No stock.");
}

BOOST_AUTO_TEST_CASE(stop_and_limit_end_attempts_and_full_queues_refuse) {
  auto held = start(samples::wait_codeunit, {{"Wait", "600000"}});
  BOOST_REQUIRE(held.id);
  auto limited = start(samples::wait_codeunit, {{"Wait", "600000"}},
                       std::chrono::milliseconds(20));
  BOOST_REQUIRE(limited.id);
  // One runs and one waits: a third exceeds the server's session queue.
  auto refused = start(samples::wait_codeunit, {{"Wait", "1"}});
  BOOST_REQUIRE(!refused.id);
  BOOST_CHECK(is(refused.id.error(), errc::session_queue_full));
  BOOST_CHECK(runner->stop(*held.id, "server shutdown"));
  auto r = held.get();
  BOOST_CHECK(r.what == status::stopped);
  BOOST_CHECK_EQUAL(r.error_message, "server shutdown");
  auto timed_out = limited.get();
  BOOST_CHECK(timed_out.what == status::timed_out);
  BOOST_CHECK_EQUAL(timed_out.error_code, "BackgroundSessionTimeout");
  BOOST_CHECK_EQUAL(timed_out.error_message, "The session timed out after 20 ms.");
  BOOST_CHECK(!runner->stop(*held.id, "again"));
}

BOOST_AUTO_TEST_CASE(an_attempt_starts_when_its_session_launches) {
  auto first = start(samples::wait_codeunit, {{"Wait", "600000"}});
  auto second = start(samples::wait_codeunit, {{"Wait", "1"}});
  BOOST_REQUIRE(first.id && second.id);
  test::api_client::wait_until(std::chrono::seconds(10), "the first to start",
                               [&] { return first.starts->load() == 1; });
  // The one slot is taken: the second waits, not started.
  BOOST_CHECK_EQUAL(second.starts->load(), 0);
  BOOST_CHECK(runner->stop(*first.id, "make room"));
  auto r = second.get();
  BOOST_CHECK(r.what == status::succeeded);
  BOOST_CHECK_EQUAL(r.outputs.at("starts_seen"), "1");
}

BOOST_AUTO_TEST_CASE(an_attempt_stopped_while_waiting_never_starts) {
  auto first = start(samples::wait_codeunit, {{"Wait", "600000"}});
  auto second = start(samples::wait_codeunit, {{"Wait", "1"}});
  BOOST_REQUIRE(first.id && second.id);
  BOOST_CHECK(runner->stop(*second.id, "canceled"));
  auto r = second.get();
  BOOST_CHECK(r.what == status::stopped);
  BOOST_CHECK_EQUAL(r.outputs.at("starts_seen"), "0");
  BOOST_CHECK(runner->stop(*first.id, "done"));
  BOOST_CHECK_EQUAL(first.get().outputs.at("starts_seen"), "1");
  BOOST_CHECK_EQUAL(second.starts->load(), 0);
}

BOOST_AUTO_TEST_SUITE_END()

// -- through the server, with the real limit of ten sessions -------------------

namespace {

/// The value of the `/metrics` line `name`, or -1 if there is none.
long long metric(test::api_client& c, const std::string& name) {
  auto res = c.get("/metrics");
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  auto at = res.body.find("\n" + name + " ");
  if (at == std::string::npos)
    return -1;
  return std::stoll(res.body.substr(at + name.size() + 2));
}

int status_of(test::api_client& c, const std::string& id) {
  return c.status(id).at("backgroundOperationStatusCode").get<int>();
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_session_operation_runner_serve,
                         test::server_fixture)

BOOST_AUTO_TEST_CASE(the_metrics_gauges_count_a_running_operation) {
  start();
  auto c = client();
  auto id = c.submit("sample_Wait", R"({"Wait": 60000})");
  c.wait_status(id, 20);
  BOOST_CHECK_EQUAL(metric(c, "stagehand_active_background_sessions"), 1);
  BOOST_CHECK_EQUAL(metric(c, "stagehand_queued_background_sessions"), 0);
}

BOOST_AUTO_TEST_CASE(cancel_before_start_means_it_never_runs) {
  start([](serve_config& cfg) {
    cfg.sessions.max_concurrent = 1;
  });
  auto c = client();
  auto holder = c.submit("sample_Wait", R"({"Wait": 1000})");
  c.wait_status(holder, 20);
  auto id = c.submit("sample_Echo", R"({"Text": "never"})");
  // Its session waits in the manager's queue for the one slot.
  test::api_client::wait_until(std::chrono::seconds(10), "a queued session",
                               [&] {
                                 return rt->stats().queued_background_sessions
                                        == 1;
                               });
  BOOST_CHECK_EQUAL(status_of(c, id), 0);
  BOOST_CHECK_EQUAL(c.del(test::api_client::status_path(id)).status, 200u);
  BOOST_CHECK_EQUAL(status_of(c, id), 32);
  // The queued session is stopped by a message to its manager, which may
  // land just after the cancel's answer.
  test::api_client::wait_until(std::chrono::seconds(10),
                               "the canceled session to leave the queue", [&] {
                                 return rt->stats().queued_background_sessions
                                        == 0;
                               });
  // The slot frees, and nothing of the canceled operation runs in it.
  BOOST_CHECK_EQUAL(c.wait_terminal(holder).at("backgroundOperationStatusCode"),
                    30);
  BOOST_CHECK(rt->wait_idle(std::chrono::seconds(10)));
  auto rec = server->store().find(id);
  BOOST_CHECK(rec->status == operation_status::canceled);
  BOOST_CHECK(!rec->start_time);
  BOOST_CHECK(rec->outputs.empty());
}

BOOST_AUTO_TEST_CASE(operations_past_ten_sessions_wait_and_a_cancel_stops_one) {
  start();
  BOOST_REQUIRE_EQUAL(cfg.sessions.max_concurrent, 10u);
  auto c = client();
  std::vector<std::string> ids;
  for (int i = 0; i < 13; ++i)
    ids.push_back(c.submit("sample_Wait", R"({"Wait": 3000})"));
  // Ten sessions run, three wait for a slot: Waiting For Resources, 0/0.
  std::vector<std::string> running;
  std::vector<std::string> waiting;
  test::api_client::wait_until(
    std::chrono::seconds(10), "ten operations In Progress and three waiting",
    [&] {
      running.clear();
      waiting.clear();
      for (auto& id : ids)
        (status_of(c, id) == 20 ? running : waiting).push_back(id);
      return running.size() == 10;
    });
  BOOST_REQUIRE_EQUAL(waiting.size(), 3u);
  for (auto& id : waiting) {
    auto body = c.status(id);
    BOOST_CHECK_EQUAL(body.at("backgroundOperationStateCode"), 0);
    BOOST_CHECK_EQUAL(body.at("backgroundOperationStatusCode"), 0);
  }
  BOOST_CHECK_EQUAL(metric(c, "stagehand_active_background_sessions"), 10);
  BOOST_CHECK_EQUAL(metric(c, "stagehand_queued_background_sessions"), 3);
  // Canceled while it waits: Canceled at once, its session never launches.
  auto canceled = waiting.front();
  auto res = c.del(test::api_client::status_path(canceled));
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  // SPEC.md §3 answers every accepted cancel with 2/22...
  BOOST_CHECK_EQUAL(res.json().at("backgroundOperationStatusCode"), 22);
  // ...and one that had not started is Canceled already.
  BOOST_CHECK_EQUAL(status_of(c, canceled), 32);
  BOOST_CHECK_EQUAL(metric(c, "stagehand_queued_background_sessions"), 2);
  // The other two start as slots free, and only then show In Progress.
  for (auto i = std::next(waiting.begin()); i != waiting.end(); ++i)
    c.wait_status(*i, 20);
  for (auto& id : ids) {
    if (id == canceled)
      continue;
    auto body = c.wait_terminal(id);
    BOOST_CHECK_EQUAL(body.at("backgroundOperationStatusCode"), 30);
  }
  auto rec = server->store().find(canceled);
  BOOST_REQUIRE(rec);
  BOOST_CHECK(rec->status == operation_status::canceled);
  BOOST_CHECK(!rec->start_time);
  BOOST_CHECK(rec->outputs.empty());
  BOOST_CHECK_EQUAL(rec->retry_count, 0);
  BOOST_CHECK(rt->wait_idle(std::chrono::seconds(10)));
}

BOOST_AUTO_TEST_SUITE_END()
