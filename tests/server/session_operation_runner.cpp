// Tests server/session_operation_runner.hpp on a real runtime: each attempt
// is a background session, and each session outcome reaches the server as
// exactly one operation result.
#include <boost/test/unit_test.hpp>

#include <future>

#include "samples/sample_codeunits.hpp"
#include "server/session_operation_runner.hpp"
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
    rt = std::make_unique<runtime>(cfg);
    BOOST_REQUIRE(!samples::register_sample_codeunits(rt->codeunits()));
    runner = std::make_unique<session_operation_runner>(*rt);
  }

  /// Starts an attempt whose result arrives in the returned future.
  std::pair<caf::expected<std::uint64_t>, std::future<operation_result>>
  start(codeunit_id codeunit, dictionary inputs,
        caf::timespan limit = std::chrono::minutes(2)) {
    auto done = std::make_shared<std::promise<operation_result>>();
    auto result = done->get_future();
    operation_run run;
    run.codeunit = codeunit;
    run.inputs = std::move(inputs);
    run.user = "ALICE";
    run.limit = limit;
    auto id = runner->start(std::move(run), [done](operation_result r) {
      done->set_value(std::move(r));
    });
    return {std::move(id), std::move(result)};
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_session_operation_runner, runner_fixture)

BOOST_AUTO_TEST_CASE(a_completed_session_is_a_succeeded_attempt) {
  auto [id, result] = start(samples::wait_codeunit, {{"Wait", "1"}});
  BOOST_REQUIRE(id);
  auto r = result.get();
  BOOST_CHECK(r.what == status::succeeded);
  BOOST_CHECK_EQUAL(r.outputs.at("waited"), "1");
}

BOOST_AUTO_TEST_CASE(a_failed_session_carries_its_error) {
  auto [id, result] = start(samples::fail_codeunit, {{"Message", "No stock."}});
  BOOST_REQUIRE(id);
  auto r = result.get();
  BOOST_CHECK(r.what == status::failed);
  BOOST_CHECK_EQUAL(r.error_code, "Dialog");
  BOOST_CHECK_EQUAL(r.error_message, "No stock.");
}

BOOST_AUTO_TEST_CASE(stop_and_limit_end_attempts_and_full_queues_refuse) {
  auto [held, held_result] = start(samples::wait_codeunit, {{"Wait", "600000"}});
  BOOST_REQUIRE(held);
  auto [limited, limited_result]
    = start(samples::wait_codeunit, {{"Wait", "600000"}},
            std::chrono::milliseconds(20));
  BOOST_REQUIRE(limited);
  // One runs and one waits: a third exceeds the server's session queue.
  auto [refused, unused] = start(samples::wait_codeunit, {{"Wait", "1"}});
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(is(refused.error(), errc::session_queue_full));
  BOOST_CHECK(runner->stop(*held, "server shutdown"));
  auto r = held_result.get();
  BOOST_CHECK(r.what == status::stopped);
  BOOST_CHECK_EQUAL(r.error_message, "server shutdown");
  auto timed_out = limited_result.get();
  BOOST_CHECK(timed_out.what == status::timed_out);
  BOOST_CHECK_EQUAL(timed_out.error_code, "BackgroundSessionTimeout");
  BOOST_CHECK_EQUAL(timed_out.error_message, "The session timed out after 20 ms.");
  BOOST_CHECK(!runner->stop(*held, "again"));
}

BOOST_AUTO_TEST_SUITE_END()
