// Tests actors/runtime_front.hpp, the actor-native embedding API, on CAF's
// deterministic scheduler with a subscriber actor. The scheduler has no spare
// threads: a call that blocked would hang the test, so each passing case
// also shows that nothing in the path blocks.
#include <boost/test/unit_test.hpp>

#include "actors/background_session_manager.hpp"
#include "actors/runtime_front.hpp"
#include "actors/session_supervisor.hpp"
#include "tests/support/actor_fixture.hpp"
#include "data/session_event_log.hpp"
#include "tests/support/recording_subscriber.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;
using lines = std::vector<std::string>;

namespace {

struct front_fixture : actor_fixture {
  temp_data_dir data;
  runtime_front_actor front;
  std::shared_ptr<subscriber_record> rec
    = std::make_shared<subscriber_record>();
  page_subscriber_actor subscriber;

  front_fixture() {
    svc_data->companies = data.directory();
    BOOST_REQUIRE(svc_data->companies->create("CRONUS"));
    front = sys.spawn(runtime_front, svc,
                      sys.spawn(background_session_manager, svc));
    subscriber = spawn_page_subscriber(sys, rec);
    sched.run();
  }

  ~front_fixture() override {
    self->send(front, shutdown_atom::value);
    sched.run();
    run_codeunits();
  }

  session_handle open() {
    auto session = ask<session_handle>(front, stagehand::open_session{});
    BOOST_REQUIRE_MESSAGE(session, "open_session: " << describe(session));
    auto supervisor
      = ask<session_supervisor_actor>(front, supervisor_atom::value, session->id);
    BOOST_REQUIRE_MESSAGE(supervisor, "supervisor: " << describe(supervisor));
    supervisors.emplace(session->id, *supervisor);
    return *session;
  }

  page_handle open_page_of(const session_handle& session) {
    auto page = ask<page_handle>(
      front, stagehand::open_page{session.id, "CUSTOMER 10000", subscriber});
    BOOST_REQUIRE_MESSAGE(page, "open_page: " << describe(page));
    rec->page = page->actor;
    return *page;
  }

  /// Checks what `r` saw (the page subscriber's record by default), printing
  /// every line on a mismatch.
  void check_lines(const std::shared_ptr<subscriber_record>& r,
                   const lines& expected) {
    auto seen = r->lines();
    std::string shown;
    for (auto& line : seen)
      shown += "\n  " + line;
    BOOST_CHECK_MESSAGE(seen == expected, "the subscriber saw:" << shown);
  }

  void check_lines(const lines& expected) {
    check_lines(rec, expected);
  }

  task_id enqueue_ok(const page_handle& page, codeunit_id codeunit,
                     dictionary params = {},
                     caf::optional<caf::timespan> timeout = caf::none) {
    auto id = enqueue(page, codeunit, std::move(params), timeout);
    BOOST_REQUIRE_MESSAGE(id, "enqueue: " << describe(id));
    return *id;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_runtime_front, front_fixture)

// -- page events as messages --------------------------------------------------

BOOST_AUTO_TEST_CASE(completed_error_and_cancelled_arrive_as_messages) {
  auto page = open_page_of(open());
  enqueue_ok(page, echo_codeunit, {{"A", "1"}});
  enqueue_ok(page, failing_codeunit, {{"Message", "boom"}});
  auto third = enqueue_ok(page, echo_codeunit);
  auto cancelled = ask<bool>(page.actor, cancel_task{third});
  BOOST_REQUIRE(cancelled && *cancelled);
  run_codeunits();
  check_lines({"started 1", "started 2", "started 3", "cancelled 3 requested",
               "completed 1 A=1", "error 2 Dialog: boom level=error",
               "notification error: boom", "done"});
  BOOST_CHECK_EQUAL(svc->stats->snapshot().pending_tasks, 0u);
}

BOOST_AUTO_TEST_CASE(is_handled_by_reply_suppresses_the_notification) {
  rec->on_error = error_answer::handled;
  auto page = open_page_of(open());
  enqueue_ok(page, failing_codeunit, {{"Message", "boom"}});
  run_codeunits();
  check_lines({"started 1", "error 1 Dialog: boom level=error", "done"});
  auto errors = events_of(page_event::kind::error);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK(errors[0].handled);
}

BOOST_AUTO_TEST_CASE(silence_counts_as_unhandled_once_the_bound_passes) {
  rec->on_error = error_answer::silent;
  auto page = open_page_of(open());
  enqueue_ok(page, failing_codeunit, {{"Message", "boom"}});
  run_codeunits();
  // The page awaits the answer: it handles nothing else meanwhile.
  self->send(page.actor, pending_tasks_atom::value);
  sched.run();
  BOOST_CHECK(!fetch<std::uint64_t>());
  advance_time(cfg.limits.subscriber_reply_timeout
               - std::chrono::milliseconds(1));
  sched.run();
  check_lines({"started 1", "error 1 Dialog: boom level=error"});
  advance_time(std::chrono::milliseconds(1));
  sched.run();
  check_lines({"started 1", "error 1 Dialog: boom level=error",
               "notification error: boom", "done"});
  auto pending = fetch<std::uint64_t>();
  BOOST_REQUIRE_MESSAGE(pending, "the page answered after the bound");
  BOOST_CHECK_EQUAL(*pending, 0u);
  auto errors = events_of(page_event::kind::error);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK(!errors[0].handled);
}

BOOST_AUTO_TEST_CASE(a_timeout_arrives_as_an_error_message) {
  auto session = open();
  auto page = open_page_of(session);
  enqueue_ok(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(3)});
  begin_codeunits(session);
  advance_time(std::chrono::seconds(3)
               + session_supervisor_state::timeout_resolution);
  sched.run();
  run_codeunits();
  check_lines({"started 1",
               "error 1 ChildSessionTaskTimeout: Child Session task was "
               "terminated because of a timeout. level=error",
               "notification error: Child Session task was terminated because "
               "of a timeout.",
               "done"});
}

BOOST_AUTO_TEST_CASE(the_subscriber_reenqueues_without_recursion) {
  rec->reenqueue = 2;
  rec->again = enqueue_task{
    echo_codeunit, {{"N", "again"}}, caf::none, error_level::error, ""};
  auto page = open_page_of(open());
  enqueue_ok(page, echo_codeunit, {{"N", "first"}});
  run_codeunits();
  // Each re-enqueue is a request that the page answers from its mailbox, so
  // the page is idle for a moment in between and says so.
  check_lines({"started 1", "completed 1 N=first", "done", "reenqueued 2",
               "started 2", "completed 2 N=again", "done", "reenqueued 3",
               "started 3", "completed 3 N=again", "done"});
}

// -- lifetimes ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_lost_subscriber_closes_its_page_and_cancels_its_tasks) {
  auto session = open();
  auto page = open_page_of(session);
  for (int i = 0; i < 7; ++i)
    enqueue_ok(page, echo_codeunit);
  BOOST_REQUIRE(load(session)
                == std::make_pair(std::uint64_t{5}, std::uint64_t{2}));
  self->send_exit(subscriber, caf::exit_reason::user_shutdown);
  sched.run();
  auto cancelled = events_of(page_event::kind::cancelled);
  BOOST_REQUIRE_EQUAL(cancelled.size(), 7u);
  for (auto& ev : cancelled)
    BOOST_CHECK(ev.reason == cancel_reason::subscriber_lost);
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{0}, std::uint64_t{0}));
  // The page actor itself is gone.
  BOOST_CHECK_EQUAL(ask_done(page.actor, change_record{"CUSTOMER 20000"}),
                    "refused: The receiver is gone (its page or session has "
                    "closed).");
  run_codeunits();
  BOOST_CHECK_EQUAL(count(page_event::kind::completed), 0u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().pending_tasks, 0u);
}

BOOST_AUTO_TEST_CASE(closing_a_session_cancels_its_pages_tasks) {
  auto session = open();
  auto page = open_page_of(session);
  enqueue_ok(page, echo_codeunit);
  BOOST_CHECK_EQUAL(ask_done(front, close_atom::value, session.id), "done");
  check_lines({"started 1", "cancelled 1 session_closed"});
  BOOST_CHECK_EQUAL(ask_done(front, close_atom::value, session.id),
                    "refused: The session is closed.");
}

// -- errors -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_lost_owner_closes_its_sessions) {
  auto owner = sys.spawn(
    [](caf::event_based_actor*, int) -> caf::behavior {
      return {[](int) {}};
    },
    0);
  stagehand::open_session req;
  req.owner = owner.address();
  auto session = ask<session_handle>(front, req);
  BOOST_REQUIRE(session);
  auto page = open_page_of(*session);
  enqueue_ok(page, echo_codeunit);
  self->send_exit(owner, caf::exit_reason::user_shutdown);
  sched.run();
  check_lines({"started 1", "cancelled 1 session_closed"});
  BOOST_CHECK_EQUAL(ask_done(front, close_atom::value, session->id),
                    "refused: The session is closed.");
}

BOOST_AUTO_TEST_CASE(a_company_session_records_logon_and_logoff) {
  stagehand::open_session req;
  req.company = "CRONUS";
  req.user = "ALICE";
  self->send(front, req);
  sched.run();
  // The company is opened on the session executor: no answer before it runs.
  BOOST_CHECK(!fetch<session_handle>());
  run_codeunits();
  auto session = fetch<session_handle>();
  BOOST_REQUIRE_MESSAGE(session, "open_session: " << describe(session));
  auto rows = [&] {
    auto db = (*svc->companies->open("CRONUS"))->open_writer();
    BOOST_REQUIRE(db);
    return session_event_log::read(**db, session->id);
  };
  BOOST_REQUIRE_EQUAL(rows().size(), 1u);
  BOOST_CHECK(rows().at(0).what == session_event::kind::logon);
  BOOST_CHECK_EQUAL(rows().at(0).user_id, "ALICE");
  // Shutdown closes it, Logoff and all, and answers only then.
  self->send(front, shutdown_atom::value);
  self->send(front, shutdown_atom::value);
  sched.run();
  BOOST_CHECK(!fetch<std::uint64_t>());
  run_codeunits();
  BOOST_CHECK(fetch<std::uint64_t>());
  BOOST_CHECK(fetch<std::uint64_t>());
  BOOST_REQUIRE_EQUAL(rows().size(), 2u);
  BOOST_CHECK(rows().at(1).what == session_event::kind::logoff);
  BOOST_CHECK(svc->registry->list().empty());
}

BOOST_AUTO_TEST_CASE(an_unknown_company_is_refused_by_name) {
  stagehand::open_session req;
  req.company = "NOSUCH";
  self->send(front, req);
  sched.run();
  run_codeunits();
  auto session = fetch<session_handle>();
  BOOST_REQUIRE(session.refused());
  BOOST_CHECK(is(session.error(), errc::unknown_company));
  BOOST_CHECK(svc->registry->list().empty());
}

BOOST_AUTO_TEST_CASE(refusals_are_stagehand_errors) {
  auto page
    = ask<page_handle>(front, stagehand::open_page{4242, "X", subscriber});
  BOOST_REQUIRE(page.refused());
  BOOST_CHECK(is(page.error(), errc::unknown_session));
  auto real = open_page_of(open());
  auto unknown = enqueue(real, 4711);
  BOOST_REQUIRE(unknown.refused());
  BOOST_CHECK(is(unknown.error(), errc::unknown_codeunit));
  start_session bad;
  bad.codeunit = 4711;
  auto started = ask<session_id>(front, bad);
  BOOST_REQUIRE(started.refused());
  BOOST_CHECK(is(started.error(), errc::unknown_codeunit));
}

// -- background sessions ------------------------------------------------------

BOOST_AUTO_TEST_CASE(background_session_outcomes_come_to_a_subscriber) {
  auto sessions = std::make_shared<subscriber_record>();
  auto listener = spawn_session_subscriber(sys, sessions);
  start_session ok;
  ok.codeunit = echo_codeunit;
  ok.subscriber = listener;
  auto first = ask<session_id>(front, ok);
  BOOST_REQUIRE(first);
  start_session failing = ok;
  failing.codeunit = failing_codeunit;
  failing.parameters = {{"Message", "broken"}};
  auto second = ask<session_id>(front, failing);
  BOOST_REQUIRE(second);
  auto third = ask<session_id>(front, ok);
  BOOST_REQUIRE(third);
  auto stopped = ask<bool>(front, stop_session{*third, "enough", 0});
  BOOST_REQUIRE(stopped && *stopped);
  run_codeunits();
  auto id = [](session_id x) {
    return std::to_string(x);
  };
  check_lines(sessions, {"ended " + id(*third) + " stopped: enough",
                         "ended " + id(*first) + " completed",
                         "ended " + id(*second) + " failed: broken"});
}

BOOST_AUTO_TEST_SUITE_END()
