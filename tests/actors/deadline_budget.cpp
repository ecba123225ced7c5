// Tests the deadline budget on CAF's deterministic scheduler: a codeunit's
// `ctx.remaining()` counts down its timeout from its start (a page task) or
// its launch (a background session), and a session that a codeunit starts
// without a timeout of its own inherits what is left, even while it queues.
// Across a real worker: tests/cluster/deadline_budget.cpp.
#include <boost/test/unit_test.hpp>

#include "actors/child_session.hpp"
#include "tests/support/background_session_manager_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using namespace std::chrono_literals;
using outcome_kind = session_outcome::kind;

namespace {

/// What a codeunit that asks for a session hands to the server: recorded,
/// and answered with a made-up id, since a codeunit here runs on the test's
/// thread and could not wait for the manager.
struct recording_host : session_host {
  std::vector<stagehand::start_session> started;

  void message(const background_task&, const std::string&) override {}

  caf::expected<session_id>
  start_session(stagehand::start_session req) override {
    started.push_back(std::move(req));
    return session_id{4711};
  }

  caf::expected<bool> stop_session(stagehand::stop_session) override {
    return false;
  }

  bool is_session_active(session_id) override {
    return false;
  }
};

constexpr codeunit_id budget_reader = 61001;
constexpr codeunit_id session_starter = 61002;

struct budget_fixture : manager_fixture {
  recording_host host;
  /// What `budget_reader` saw, in the order it ran.
  std::vector<caf::timespan> seen;
  /// How long `budget_reader` "works" before it reads its budget: it moves
  /// the test clock, as time passes while a real codeunit runs.
  caf::timespan work{0};
  /// The timeout `session_starter` gives the session it starts.
  caf::timespan child_timeout{0};
  std::vector<caf::expected<session_id>> starts;

  budget_fixture() {
    svc_data->host = &host;
    svc_data->codeunits->add(budget_reader, "BudgetReader",
                             [this](codeunit_context& ctx) {
                               sched.clock().current_time += work;
                               seen.push_back(ctx.remaining());
                             });
    svc_data->codeunits->add(session_starter, "SessionStarter",
                             [this](codeunit_context& ctx) {
                               sched.clock().current_time += work;
                               start_session req;
                               req.codeunit = echo_codeunit;
                               req.timeout = child_timeout;
                               starts.push_back(ctx.start_session(req));
                             });
  }

  /// Launches a session as the runtime would launch `req`.
  caf::expected<session_id> launch(start_session req) {
    return ask<session_id>(manager, launch_session{std::move(req), "ALICE"});
  }

  caf::expected<session_id> launch_with_budget(caf::timespan budget,
                                               caf::timespan timeout = {}) {
    start_session req;
    req.codeunit = echo_codeunit;
    req.timeout = timeout;
    req.budget = budget;
    return launch(std::move(req));
  }

  /// Checks that session `id` times out exactly `after` from now, saying so
  /// in `comment`.
  void check_times_out(session_id id, caf::timespan after,
                       const std::string& comment) {
    subscribe(id);
    auto outcome = outcome_at(after);
    BOOST_REQUIRE(outcome);
    BOOST_CHECK(outcome->what == outcome_kind::timed_out);
    BOOST_CHECK_EQUAL(outcome->comment, comment);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_deadline_budget, budget_fixture)

BOOST_AUTO_TEST_CASE(a_page_task_sees_its_timeout_count_down_from_its_start) {
  work = 4s;
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(enqueue(page, budget_reader, {}, caf::timespan{10s}));
  // The wait for a thread does not count: the task has not started.
  sched.clock().current_time += 30s;
  run_codeunits();
  BOOST_REQUIRE_EQUAL(seen.size(), 1u);
  BOOST_CHECK(seen[0] == caf::timespan{6s});
}

BOOST_AUTO_TEST_CASE(a_session_sees_its_timeout_count_down_from_its_launch) {
  auto id = start(budget_reader, {}, 10s);
  BOOST_REQUIRE(id);
  // Launched at once; its job waits 4 s for a thread, which counts, since
  // the session's timeout counts from its launch.
  sched.clock().current_time += 4s;
  run_codeunits();
  BOOST_REQUIRE_EQUAL(seen.size(), 1u);
  BOOST_CHECK(seen[0] == caf::timespan{6s});
}

BOOST_AUTO_TEST_CASE(
  a_started_session_without_a_timeout_inherits_what_is_left) {
  work = 7s;
  auto id = start(session_starter, {}, 10s);
  BOOST_REQUIRE(id);
  run_codeunits();
  BOOST_REQUIRE_EQUAL(host.started.size(), 1u);
  BOOST_REQUIRE_EQUAL(starts.size(), 1u);
  BOOST_CHECK(starts[0] && *starts[0] == 4711u);
  BOOST_CHECK(host.started[0].budget == caf::timespan{3s});
  BOOST_CHECK_EQUAL(host.started[0].caller, *id);
  // The manager gives it those 3 s, not the default 8 hours.
  auto child = launch(host.started[0]);
  BOOST_REQUIRE(child);
  check_times_out(*child, 3s, "The session timed out after 3000 ms.");
}

BOOST_AUTO_TEST_CASE(a_caller_that_gives_a_timeout_keeps_it) {
  work = 7s;
  child_timeout = 20s;
  BOOST_REQUIRE(start(session_starter, {}, 10s));
  run_codeunits();
  BOOST_REQUIRE_EQUAL(host.started.size(), 1u);
  BOOST_CHECK(host.started[0].budget == caf::timespan{0});
  BOOST_CHECK(host.started[0].timeout == caf::timespan{20s});
  // A budget beside a timeout of its own does not shorten it either.
  auto id = launch_with_budget(3s, 20s);
  BOOST_REQUIRE(id);
  check_times_out(*id, 20s, "The session timed out after 20000 ms.");
}

BOOST_AUTO_TEST_CASE(the_default_timeout_wins_when_it_is_shorter) {
  svc_data->sessions.default_timeout = 2s;
  auto id = launch_with_budget(1h);
  BOOST_REQUIRE(id);
  check_times_out(*id, 2s, "The session timed out after 2000 ms.");
}

BOOST_AUTO_TEST_CASE(a_queued_session_ends_no_later_than_its_callers_budget) {
  svc_data->sessions.max_concurrent = 1;
  BOOST_REQUIRE(start(echo_codeunit));
  auto id = launch_with_budget(5s);
  BOOST_REQUIRE(id);
  BOOST_CHECK(load_of(manager)
              == std::make_pair(std::uint64_t{1}, std::uint64_t{1}));
  // It queues for 3 s of its caller's 5, then launches with the 2 left.
  advance_time(3s);
  sched.run();
  exec->run_next();
  sched.run();
  BOOST_CHECK(load_of(manager)
              == std::make_pair(std::uint64_t{1}, std::uint64_t{0}));
  check_times_out(*id, 2s, "The session timed out after 2000 ms.");
}

BOOST_AUTO_TEST_CASE(a_session_whose_time_is_up_cannot_pass_on_nothing) {
  work = 10s;
  auto id = start(session_starter, {}, 10s);
  BOOST_REQUIRE(id);
  run_codeunits();
  BOOST_CHECK(host.started.empty());
  BOOST_REQUIRE_EQUAL(starts.size(), 1u);
  BOOST_REQUIRE(!starts[0]);
  BOOST_CHECK(is(starts[0].error(), errc::budget_spent));
  BOOST_CHECK_EQUAL(describe(starts[0].error()),
                    "Session " + std::to_string(*id)
                      + " has no time left of its timeout, so it cannot "
                        "start a session that would inherit it; give that "
                        "session a timeout of its own.");
}

BOOST_AUTO_TEST_SUITE_END()
