// Tests services/background_job.hpp and the background session API of
// runtime/runtime.hpp end to end, on the real scheduler, real worker threads
// and real company files: a stop while the codeunit sleeps or runs a query
// rolls its transaction back, a session cannot stop itself, wait_idle and
// the waits for an outcome end when they should, and shutdown answers each
// outcome subscriber once. Synchronisation is by latches the codeunits open,
// never by sleeping.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/errc.hpp"
#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"
#include "tests/support/background_job_fixture.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/error_text.hpp"

using namespace stagehand;
using namespace stagehand::test;
using outcome_kind = session_outcome::kind;
using event_kind = session_event::kind;

namespace {

/// Codeunits block on it until the test opens it up to their number.
class gate {
public:
  void open(int n) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      opened_ = n;
    }
    cv_.notify_all();
  }

  void pass(int n) {
    std::unique_lock<std::mutex> guard{mtx_};
    cv_.wait(guard, [&] {
      return opened_ >= n;
    });
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  int opened_ = 0;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(services_background_job, session_fixture)

BOOST_AUTO_TEST_CASE(a_stop_while_sleeping_rolls_back_at_once) {
  auto id = rt->start_session(request(insert_then_sleep));
  BOOST_REQUIRE(id);
  require_ready(reached.get_future(), "the session reaching its sleep");
  BOOST_CHECK(rt->is_session_active(*id));
  auto stopped = rt->stop_session(*id, "Stopped by the administrator.");
  BOOST_REQUIRE(stopped);
  BOOST_CHECK(*stopped);
  auto outcome = outcome_of(*id);
  BOOST_CHECK(outcome.what == outcome_kind::stopped);
  BOOST_CHECK_EQUAL(outcome.comment, "Stopped by the administrator.");
  BOOST_CHECK(!rt->is_session_active(*id));
  // The worker records the Stop after its rollback; the pool drains here.
  start_runtime();
  BOOST_CHECK_EQUAL(count("SELECT count(*) FROM PBTData"), 0);
  auto events = events_of(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK(events[0].what == event_kind::start);
  BOOST_CHECK(events[1].what == event_kind::stop);
  BOOST_CHECK_EQUAL(events[1].comment, "Stopped by the administrator.");
}

BOOST_AUTO_TEST_CASE(a_stop_while_in_a_query_interrupts_it_and_rolls_back) {
  auto id = rt->start_session(request(insert_then_query));
  BOOST_REQUIRE(id);
  require_ready(reached.get_future(), "the session reaching its query");
  auto stopped = rt->stop_session(*id, "Query took too long.");
  BOOST_REQUIRE(stopped);
  BOOST_CHECK(*stopped);
  BOOST_CHECK(outcome_of(*id).what == outcome_kind::stopped);
  // Shutting down waits for the worker: it only returns once SQLite has
  // interrupted the billion-row count, long before it could finish.
  auto begun = std::chrono::steady_clock::now();
  start_runtime();
  BOOST_CHECK(std::chrono::steady_clock::now() - begun < std::chrono::seconds(30));
  BOOST_CHECK_EQUAL(count("SELECT count(*) FROM PBTData"), 0);
  auto events = events_of(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK(events[1].what == event_kind::stop);
  BOOST_CHECK_EQUAL(events[1].comment, "Query took too long.");
}

BOOST_AUTO_TEST_CASE(a_session_cannot_stop_itself) {
  std::promise<std::string> answer;
  rt->codeunits().add(61005, "StopSelf", [&](codeunit_context& ctx) {
    auto stopped = ctx.stop_session(ctx.session());
    answer.set_value(stopped ? "stopped" : describe(stopped.error()));
  });
  auto id = rt->start_session(request(61005));
  BOOST_REQUIRE(id);
  BOOST_CHECK_EQUAL(get_within(answer.get_future(), "StopSelf's answer"),
                    "Session " + std::to_string(*id) + " cannot stop itself.");
  BOOST_CHECK(outcome_of(*id).what == outcome_kind::completed);
}

BOOST_AUTO_TEST_CASE(wait_idle_never_sees_a_session_move_from_queue_to_slot) {
  config cfg;
  cfg.log_level = "off";
  cfg.data_dir = data.path.string();
  cfg.sessions.max_concurrent = 1;
  runtime one_slot{cfg};
  gate first;
  gate second;
  std::atomic<int> second_running{0};
  one_slot.codeunits().add(61009, "First", [&](codeunit_context& ctx) {
    first.pass(std::stoi(ctx.parameters().at("Round")));
  });
  one_slot.codeunits().add(61010, "Second", [&](codeunit_context& ctx) {
    auto round = std::stoi(ctx.parameters().at("Round"));
    second_running = round;
    second.pass(round);
  });
  // While `watching`, the second session of the round has not ended, so the
  // runtime is busy; `watching` is read again after an idle answer, so an
  // answer that came after the round ended does not count.
  std::atomic<bool> watching{false};
  std::atomic<bool> done{false};
  std::atomic<int> idle_seen{0};
  std::thread watcher{[&] {
    while (!done)
      if (watching && one_slot.wait_idle(caf::timespan{0}) && watching)
        ++idle_seen;
  }};
  // Joins the watcher however the test ends, failed checks included.
  std::shared_ptr<void> join_watcher{nullptr, [&](void*) {
    done = true;
    watcher.join();
  }};
  for (int round = 1; round <= 60; ++round) {
    dictionary params{{"Round", std::to_string(round)}};
    BOOST_REQUIRE(one_slot.start_session(request(61009, params)));
    auto queued = one_slot.start_session(request(61010, params));
    BOOST_REQUIRE(queued);
    watching = true;
    first.open(round);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (second_running < round) {
      if (std::chrono::steady_clock::now() > deadline)
        BOOST_FAIL("round " << round << ": the queued session never started");
      std::this_thread::yield();
    }
    watching = false;
    second.open(round);
    auto ended = one_slot.wait_session(*queued);
    BOOST_REQUIRE_MESSAGE(ended, why(ended));
  }
  join_watcher.reset();
  BOOST_CHECK_EQUAL(idle_seen.load(), 0);
}

BOOST_AUTO_TEST_CASE(waits_for_an_outcome_end_at_the_runtime_wait_timeout) {
  config cfg;
  cfg.log_level = "off";
  cfg.data_dir = data.path.string();
  cfg.runtime_wait_timeout = std::chrono::milliseconds(100);
  // Declared before the runtime, so that a wait that never ends is ended by
  // the runtime's shutdown before the future is destroyed.
  std::future<caf::expected<session_outcome>> waiting;
  runtime bounded{cfg};
  BOOST_REQUIRE(!samples::register_sample_codeunits(bounded.codeunits()));
  auto id = bounded.start_session(
    request(samples::wait_codeunit, {{"Wait", "3600000"}}));
  BOOST_REQUIRE(id);
  waiting = std::async(std::launch::async, [&] {
    return bounded.wait_session(*id);
  });
  auto waited = get_within(waiting, "wait_session");
  BOOST_REQUIRE(!waited);
  BOOST_CHECK(is(waited.error(), errc::no_answer));
  BOOST_CHECK_EQUAL(describe(waited.error()),
                    "No answer within 100 ms (stagehand.runtime-wait-timeout).");
  std::promise<caf::expected<session_outcome>> heard;
  bounded.on_session_outcome(*id, [&](caf::expected<session_outcome> outcome) {
    heard.set_value(std::move(outcome));
  });
  auto heard_future = heard.get_future();
  auto late = get_within(heard_future, "on_session_outcome");
  BOOST_REQUIRE(!late);
  BOOST_CHECK(is(late.error(), errc::no_answer));
  // The bound ends the wait, not the session.
  BOOST_CHECK(bounded.is_session_active(*id));
}

BOOST_AUTO_TEST_CASE(shutdown_answers_an_outcome_subscriber_once) {
  auto id = rt->start_session(request(insert_then_sleep));
  BOOST_REQUIRE(id);
  auto reached_future = reached.get_future();
  get_within(reached_future, "the session's insert");
  std::mutex answers_mtx;
  std::vector<caf::expected<session_outcome>> answers;
  rt->on_session_outcome(*id, [&](caf::expected<session_outcome> outcome) {
    std::lock_guard<std::mutex> guard{answers_mtx};
    answers.push_back(std::move(outcome));
  });
  rt.reset();
  std::lock_guard<std::mutex> guard{answers_mtx};
  BOOST_REQUIRE_EQUAL(answers.size(), 1u);
  // Subscribed before the shutdown: stopped; after it: shutting_down.
  if (answers[0]) {
    BOOST_CHECK(answers[0]->what == outcome_kind::stopped);
    BOOST_CHECK_EQUAL(answers[0]->comment, "server shutdown");
  } else {
    BOOST_CHECK(is(answers[0].error(), errc::shutting_down));
  }
  start_runtime();
  BOOST_CHECK_EQUAL(count("SELECT count(*) FROM PBTData"), 0);
}

BOOST_AUTO_TEST_SUITE_END()
