// Tests actors/background_session_manager.hpp on CAF's deterministic
// scheduler: the server-wide limits, timeouts as delayed messages, stopping
// queued and running sessions, recursion depth, outcome subscriptions,
// shutdown, the periodic purge, and the Session Event rows each outcome
// leaves in the company.
#include <boost/test/unit_test.hpp>

#include "actors/background_session_manager.hpp"
#include "data/session_event_log.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;
using outcome_kind = session_outcome::kind;
using event_kind = session_event::kind;

namespace {

/// Inserts the PBTData row whose Code key is `Id` in the session's
/// transaction.
constexpr codeunit_id insert_codeunit = 60001;

struct manager_fixture : actor_fixture {
  temp_data_dir data;
  background_session_manager_actor manager;

  manager_fixture() {
    svc_data->companies = data.directory();
    BOOST_REQUIRE(svc_data->companies->create("CRONUS"));
    svc_data->codeunits->add(insert_codeunit, "InsertCodeunit",
                             [](codeunit_context& ctx) {
                               auto id = ctx.parameters().at("Id");
                               ctx.db().query(
                                 "INSERT INTO PBTData (Id) VALUES (?)", {id});
                               ctx.set_result({{"Id", id}});
                             });
    manager = sys.spawn(background_session_manager, svc);
    sched.run();
  }

  ~manager_fixture() override {
    self->send(manager, shutdown_atom::value);
    sched.run();
    exec->run_all();
    sched.run();
  }

  caf::expected<session_id> start(codeunit_id codeunit, dictionary params = {},
                                  caf::timespan timeout = {},
                                  session_id caller = 0,
                                  std::string user = "ALICE") {
    start_session req;
    req.codeunit = codeunit;
    req.parameters = std::move(params);
    req.timeout = timeout;
    req.user = std::move(user);
    req.caller = caller;
    return ask<session_id>(manager, std::move(req));
  }

  /// Asks for the outcome; the reply arrives when the session ends.
  void subscribe(session_id id) {
    self->send(manager, outcome_atom::value, id);
    sched.run();
  }

  /// Advances the clock to 1 ms before `deadline`, checks that nothing has
  /// ended yet, then to `deadline`, and returns the outcome that arrived.
  caf::expected<session_outcome> outcome_at(caf::timespan deadline) {
    advance_time(deadline - std::chrono::milliseconds(1));
    sched.run();
    BOOST_CHECK(!fetch<session_outcome>());
    advance_time(std::chrono::milliseconds(1));
    sched.run();
    return fetch<session_outcome>();
  }

  bool is_session_active_now(session_id id) {
    self->send(manager, is_active_atom::value, id);
    sched.run();
    auto active = fetch<bool>();
    return active && *active;
  }

  std::vector<session_event> rows(session_id id) {
    auto db = (*svc->companies->open("CRONUS"))->open_writer();
    BOOST_REQUIRE(db);
    return session_event_log::read(**db, id);
  }

  /// Adds a Session Event row `age` old for session `id`.
  void old_event(session_id id, caf::timespan age) {
    auto db = (*svc->companies->open("CRONUS"))->open_writer();
    BOOST_REQUIRE(db);
    session_event_log::record(
      **db, {id, event_kind::close,
             std::chrono::system_clock::now()
               - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                 age),
             client_type::background, "OLD", "", ""});
  }

  /// True once the manager has terminated (a monitor's down message came).
  bool manager_down() {
    bool down = false;
    self->receive(
      [&](caf::down_msg& msg) {
        down = msg.source == manager.address();
      },
      caf::after(std::chrono::seconds(0)) >> [] {});
    return down;
  }

  std::int64_t pbt_rows() {
    auto db = (*svc->companies->open("CRONUS"))->open_writer();
    BOOST_REQUIRE(db);
    return std::get<std::int64_t>((*db)->query("SELECT count(*) FROM PBTData")[0][0]);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_background_session_manager, manager_fixture)

BOOST_AUTO_TEST_CASE(ten_run_hundred_queue_and_the_111th_is_refused) {
  for (int i = 1; i <= 110; ++i)
    if (auto id = start(echo_codeunit); !id)
      BOOST_FAIL("start " << i << ": " << describe(id.error()));
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{10}, std::uint64_t{100}));
  BOOST_CHECK_EQUAL(exec->pending(), 10u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().active_background_sessions, 10u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().queued_background_sessions, 100u);
  auto refused = start(echo_codeunit);
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(is(refused.error(), errc::session_queue_full));
  BOOST_CHECK_EQUAL(describe(refused.error()),
                    "The background session queue is full (100 sessions are "
                    "waiting).");
  // The 11th starts as soon as one of the first ten ends.
  exec->run_next();
  sched.run();
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{10}, std::uint64_t{99}));
}

BOOST_AUTO_TEST_CASE(zero_means_no_limit) {
  svc_data->sessions.max_concurrent = 0;
  svc_data->sessions.max_queued = 0;
  for (int i = 0; i < 150; ++i)
    BOOST_REQUIRE(start(echo_codeunit));
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{150}, std::uint64_t{0}));
}

BOOST_AUTO_TEST_CASE(a_queue_limit_of_zero_queues_without_limit) {
  svc_data->sessions.max_concurrent = 2;
  svc_data->sessions.max_queued = 0;
  for (int i = 1; i <= 150; ++i)
    if (auto id = start(echo_codeunit); !id)
      BOOST_FAIL("start " << i << ": " << describe(id.error()));
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{2}, std::uint64_t{148}));
  BOOST_CHECK_EQUAL(exec->pending(), 2u);
}

BOOST_AUTO_TEST_CASE(completed_sessions_commit_and_record_start_and_close) {
  auto id = start(insert_codeunit, {{"Id", "7"}});
  BOOST_REQUIRE(id);
  subscribe(*id);
  BOOST_CHECK(is_session_active_now(*id));
  run_codeunits();
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::completed);
  BOOST_CHECK_EQUAL(outcome->results.at("Id"), "7");
  BOOST_CHECK_EQUAL(pbt_rows(), 1);
  auto events = rows(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK(events[0].what == event_kind::start);
  BOOST_CHECK(events[1].what == event_kind::close);
  BOOST_CHECK_EQUAL(events[1].comment, "");
  BOOST_CHECK_EQUAL(events[1].user_id, "ALICE");
  BOOST_CHECK(events[1].client == client_type::background);
  BOOST_CHECK_EQUAL(events[0].unique_id, events[1].unique_id);
  BOOST_CHECK(!is_session_active_now(*id));
}

BOOST_AUTO_TEST_CASE(a_failed_session_rolls_back_and_stores_its_error) {
  svc_data->codeunits->add(60002, "InsertThenFail", [](codeunit_context& ctx) {
    ctx.db().query("INSERT INTO PBTData (Id) VALUES ('R1')");
    ctx.error("Customer 10000 is blocked.");
  });
  auto id = start(60002);
  BOOST_REQUIRE(id);
  subscribe(*id);
  run_codeunits();
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::failed);
  BOOST_CHECK_EQUAL(outcome->error.text, "Customer 10000 is blocked.");
  BOOST_CHECK_EQUAL(outcome->error.call_stack,
                    "InsertThenFail(CodeUnit 60002).OnRun");
  BOOST_CHECK_EQUAL(pbt_rows(), 0);
  auto events = rows(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK(events[1].what == event_kind::close);
  BOOST_CHECK_EQUAL(events[1].comment, "Customer 10000 is blocked.");
}

BOOST_AUTO_TEST_CASE(the_timeout_stops_a_session_and_its_stop_is_recorded) {
  auto id = start(insert_codeunit, {{"Id", "1"}}, std::chrono::seconds(30));
  BOOST_REQUIRE(id);
  subscribe(*id);
  auto outcome = outcome_at(std::chrono::seconds(30));
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::timed_out);
  BOOST_CHECK_EQUAL(outcome->comment, "The session timed out after 30000 ms.");
  // The worker sees the cancelled token and never runs the codeunit.
  run_codeunits();
  BOOST_CHECK_EQUAL(pbt_rows(), 0);
  auto events = rows(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_CHECK(events[0].what == event_kind::stop);
  BOOST_CHECK_EQUAL(events[0].comment, "The session timed out after 30000 ms.");
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{0}, std::uint64_t{0}));
}

BOOST_AUTO_TEST_CASE(the_default_timeout_is_eight_hours) {
  auto id = start(echo_codeunit);
  BOOST_REQUIRE(id);
  subscribe(*id);
  auto outcome = outcome_at(std::chrono::hours(8));
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::timed_out);
}

BOOST_AUTO_TEST_CASE(a_stopped_queued_session_never_runs) {
  std::vector<session_id> ids;
  for (int i = 1; i <= 11; ++i) {
    auto id = start(insert_codeunit, {{"Id", std::to_string(i)}});
    BOOST_REQUIRE(id);
    ids.push_back(*id);
  }
  auto queued = ids.back();
  subscribe(queued);
  auto stopped = ask<bool>(manager, stop_session{queued, "not needed", 0});
  BOOST_REQUIRE(stopped);
  BOOST_CHECK(*stopped);
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::stopped);
  BOOST_CHECK_EQUAL(outcome->comment, "not needed");
  run_codeunits();
  BOOST_CHECK_EQUAL(pbt_rows(), 10);
  auto events = rows(queued);
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_CHECK(events[0].what == event_kind::stop);
  BOOST_CHECK_EQUAL(events[0].comment, "not needed");
}

BOOST_AUTO_TEST_CASE(stop_answers_false_for_unknown_and_refuses_self) {
  auto unknown = ask<bool>(manager, stop_session{4242, "", 0});
  BOOST_REQUIRE(unknown);
  BOOST_CHECK(!*unknown);
  auto id = start(echo_codeunit);
  BOOST_REQUIRE(id);
  auto self_stop = ask<bool>(manager, stop_session{*id, "", *id});
  BOOST_REQUIRE(!self_stop);
  BOOST_CHECK(is(self_stop.error(), errc::cannot_stop_self));
  BOOST_CHECK_EQUAL(describe(self_stop.error()),
                    "Session " + std::to_string(*id) + " cannot stop itself.");
  BOOST_CHECK(is_session_active_now(*id));
}

BOOST_AUTO_TEST_CASE(a_stop_after_the_worker_claimed_its_commit_changes_nothing) {
  auto id = start(insert_codeunit, {{"Id", "3"}});
  BOOST_REQUIRE(id);
  subscribe(*id);
  // Run the codeunit, but hold back its report: the commit has happened.
  exec->run_next();
  auto late = ask<bool>(manager, stop_session{*id, "too late", 0});
  BOOST_REQUIRE(late);
  BOOST_CHECK(!*late);
  sched.run();
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::completed);
  BOOST_CHECK_EQUAL(pbt_rows(), 1);
}

BOOST_AUTO_TEST_CASE(recursion_deeper_than_fourteen_is_refused_with_its_text) {
  session_id client = 77;
  auto first = start(echo_codeunit, {}, {}, client);
  BOOST_REQUIRE(first);
  auto current = *first;
  for (int depth = 2; depth <= 14; ++depth) {
    auto next = start(echo_codeunit, {}, {}, current);
    if (!next)
      BOOST_FAIL("depth " << depth << ": " << describe(next.error()));
    current = *next;
  }
  auto refused = start(echo_codeunit, {}, {}, current);
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(is(refused.error(), errc::session_recursion));
  BOOST_CHECK_EQUAL(describe(refused.error()),
                    "Excessive recursive session creation detected, original "
                    "session ID: 77, current session ID: "
                      + std::to_string(current) + ".");
}

BOOST_AUTO_TEST_CASE(late_subscribers_get_recent_outcomes_and_unknown_ids_fail) {
  auto id = start(failing_codeunit, {{"Message", "boom"}});
  BOOST_REQUIRE(id);
  run_codeunits();
  subscribe(*id);
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::failed);
  BOOST_CHECK_EQUAL(outcome->comment, "boom");
  subscribe(999999);
  auto unknown = fetch<session_outcome>();
  BOOST_REQUIRE(!unknown);
  BOOST_CHECK(is(unknown.error(), errc::unknown_session));
}

BOOST_AUTO_TEST_CASE(unknown_codeunits_and_negative_timeouts_are_refused) {
  auto unknown = start(4711);
  BOOST_REQUIRE(!unknown);
  BOOST_CHECK_EQUAL(describe(unknown.error()), "Codeunit 4711 is not registered.");
  auto negative = start(echo_codeunit, {}, -std::chrono::seconds(1));
  BOOST_REQUIRE(!negative);
  BOOST_CHECK(is(negative.error(), errc::negative_timeout));
}

BOOST_AUTO_TEST_CASE(without_a_caller_a_session_runs_as_admin_on_cronus) {
  auto id = start(echo_codeunit, {}, {}, 0, "");
  BOOST_REQUIRE(id);
  auto listed = svc->registry->list();
  BOOST_REQUIRE_EQUAL(listed.size(), 1u);
  BOOST_CHECK_EQUAL(listed[0].user_id, "ADMIN");
  BOOST_CHECK_EQUAL(listed[0].database_name, "CRONUS");
  run_codeunits();
  auto events = rows(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK_EQUAL(events[0].user_id, "ADMIN");
}

BOOST_AUTO_TEST_CASE(running_sessions_are_in_the_active_session_list) {
  auto id = start(echo_codeunit);
  BOOST_REQUIRE(id);
  auto listed = svc->registry->list();
  BOOST_REQUIRE_EQUAL(listed.size(), 1u);
  BOOST_CHECK_EQUAL(listed[0].id, *id);
  BOOST_CHECK(listed[0].client == client_type::background);
  BOOST_CHECK_EQUAL(to_string(listed[0].client), "Background");
  BOOST_CHECK_EQUAL(listed[0].user_id, "ALICE");
  BOOST_CHECK_EQUAL(listed[0].database_name, "CRONUS");
  BOOST_CHECK_EQUAL(listed[0].unique_id.size(), 36u);
  run_codeunits();
  BOOST_CHECK(svc->registry->list().empty());
}

BOOST_AUTO_TEST_CASE(shutdown_stops_every_session_with_its_comment) {
  std::vector<session_id> ids;
  for (int i = 1; i <= 12; ++i) {
    auto id = start(insert_codeunit, {{"Id", std::to_string(i)}});
    BOOST_REQUIRE(id);
    ids.push_back(*id);
  }
  subscribe(ids.front());
  auto stopped = ask<std::uint64_t>(manager, shutdown_atom::value);
  BOOST_REQUIRE(stopped);
  BOOST_CHECK_EQUAL(*stopped, 12u);
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::stopped);
  BOOST_CHECK_EQUAL(outcome->comment, "server shutdown");
  auto late = start(echo_codeunit);
  BOOST_CHECK(!late);
  run_codeunits();
  BOOST_CHECK_EQUAL(pbt_rows(), 0);
  for (auto id : ids) {
    auto events = rows(id);
    BOOST_REQUIRE_EQUAL(events.size(), 1u);
    BOOST_CHECK(events[0].what == event_kind::stop);
    BOOST_CHECK_EQUAL(events[0].comment, "server shutdown");
  }
}

BOOST_AUTO_TEST_CASE(shutdown_waits_for_a_committing_session_s_real_outcome) {
  auto id = start(insert_codeunit, {{"Id", "5"}});
  BOOST_REQUIRE(id);
  subscribe(*id);
  self->monitor(manager);
  // The worker has claimed and made its commit; its report is on the way
  // when shutdown overtakes it.
  exec->run_next();
  self->send<caf::message_priority::high>(manager, shutdown_atom::value);
  sched.run();
  auto stopped = fetch<std::uint64_t>();
  BOOST_REQUIRE(stopped);
  BOOST_CHECK_EQUAL(*stopped, 0u);
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE_MESSAGE(outcome, "the subscriber got no answer");
  BOOST_CHECK(outcome->what == outcome_kind::completed);
  BOOST_CHECK_EQUAL(pbt_rows(), 1);
  BOOST_CHECK(manager_down());
}

BOOST_AUTO_TEST_CASE(shutdown_answers_queued_and_running_subscribers_then_quits) {
  std::vector<session_id> ids;
  for (int i = 1; i <= 11; ++i) {
    auto id = start(echo_codeunit);
    BOOST_REQUIRE(id);
    ids.push_back(*id);
  }
  self->monitor(manager);
  // One subscriber of a running session, one of the queued one.
  subscribe(ids.front());
  subscribe(ids.back());
  BOOST_CHECK(!manager_down());
  auto stopped = ask<std::uint64_t>(manager, shutdown_atom::value);
  BOOST_REQUIRE(stopped);
  BOOST_CHECK_EQUAL(*stopped, 11u);
  for (int i = 0; i < 2; ++i) {
    auto outcome = fetch<session_outcome>();
    BOOST_REQUIRE_MESSAGE(outcome, "subscriber " << i << " got no answer");
    BOOST_CHECK(outcome->what == outcome_kind::stopped);
    BOOST_CHECK_EQUAL(outcome->comment, "server shutdown");
  }
  BOOST_CHECK(manager_down());
}

BOOST_AUTO_TEST_CASE(the_hourly_purge_keeps_ninety_days_of_events) {
  old_event(1, std::chrono::hours(24 * 91));
  old_event(2, std::chrono::hours(24 * 89));
  // Nothing happens until the purge interval has passed.
  advance_time(std::chrono::hours(1) - std::chrono::milliseconds(1));
  sched.run();
  BOOST_CHECK_EQUAL(exec->run_all(), 0u);
  BOOST_CHECK_EQUAL(rows(1).size(), 1u);
  advance_time(std::chrono::milliseconds(1));
  sched.run();
  BOOST_CHECK_EQUAL(exec->run_all(), 1u);
  BOOST_CHECK_EQUAL(rows(1).size(), 0u);
  BOOST_CHECK_EQUAL(rows(2).size(), 1u);
  // And again an hour later.
  old_event(3, std::chrono::hours(24 * 90) + std::chrono::minutes(1));
  advance_time(std::chrono::hours(1));
  sched.run();
  BOOST_CHECK_EQUAL(exec->run_all(), 1u);
  BOOST_CHECK_EQUAL(rows(3).size(), 0u);
  BOOST_CHECK_EQUAL(rows(2).size(), 1u);
}

BOOST_AUTO_TEST_SUITE_END()
