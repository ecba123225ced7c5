// Tests the placement of background sessions in
// actors/background_session_manager.hpp on CAF's test coordinator, with local
// actors in the place of worker agents: a session goes to a worker that has
// its codeunit, only that worker's report counts, a stop and a timeout reach
// it and keep its slot until the worker acknowledges them (or are forced),
// and a lost worker fails its sessions with the node-lost error, which their
// Close rows record. Real workers are in
// tests/cluster/background_sessions.cpp.
#include <boost/test/unit_test.hpp>

#include <caf/send.hpp>

#include "messages/session_finished.hpp"
#include "messages/session_stop_acknowledged.hpp"
#include "tests/support/background_session_manager_fixture.hpp"
#include "tests/support/fake_worker.hpp"
#include "tests/support/log_capture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using outcome_kind = session_outcome::kind;
using event_kind = session_event::kind;

namespace {

/// A codeunit that only the workers have.
constexpr codeunit_id worker_only_codeunit = 777;

struct session_placement_fixture : manager_fixture {
  std::shared_ptr<capture_sink> sink = std::make_shared<capture_sink>();
  worker_actor w1;
  worker_actor w2;

  session_placement_fixture() {
    svc_data->log = capture_logger(sink, spdlog::level::debug);
    svc_data->nodes = std::make_shared<node_table>();
    svc_data->nodes->configure(placement_mode::remote, 8);
    w1 = join_fake_worker(sys, *svc_data->nodes, "w1", 2,
                          {echo_codeunit, worker_only_codeunit});
    w2 = join_fake_worker(sys, *svc_data->nodes, "w2", 2, {echo_codeunit});
  }

  std::size_t running_on(const std::string& node) {
    return svc_data->nodes->find(node)->running;
  }

  /// Stops `id` and checks that the stop is decided at once.
  void stop_now(session_id id) {
    subscribe(id);
    auto stopped = ask<bool>(manager, stop_session{id, "not needed", 0});
    BOOST_REQUIRE(stopped);
    BOOST_CHECK(*stopped);
    auto outcome = fetch<session_outcome>();
    BOOST_REQUIRE(outcome);
    BOOST_CHECK(outcome->what == outcome_kind::stopped);
    BOOST_CHECK(!is_session_active_now(id));
  }

  /// How many stops of sessions on workers reached `state` (log lines).
  std::size_t stops(const char* state) {
    return sink
      ->matching({"session_type=Background", "event=cancel",
                  std::string{"cancel_state="} + state})
      .size();
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_background_session_placement,
                         session_placement_fixture)

BOOST_AUTO_TEST_CASE(a_session_runs_on_a_worker_and_only_its_report_counts) {
  auto id = start(worker_only_codeunit, {{"Id", "1"}});
  BOOST_REQUIRE(id);
  BOOST_REQUIRE_EQUAL(told(w1).sessions.size(), 1u);
  BOOST_CHECK(told(w2).sessions.empty());
  auto& run = told(w1).sessions[0];
  BOOST_CHECK_EQUAL(run.session.session, *id);
  BOOST_CHECK_EQUAL(run.session.user, "ALICE");
  BOOST_CHECK_EQUAL(run.session.parameters.at("Id"), "1");
  BOOST_CHECK(!run.unique_id.empty());
  BOOST_CHECK_EQUAL(running_on("w1"), 1u);
  BOOST_CHECK_EQUAL(exec->pending(), 0u); // nothing runs here
  subscribe(*id);
  caf::send_as(w2, manager,
               session_finished{*id, session_outcome::completed({})});
  sched.run();
  BOOST_CHECK(!fetch<session_outcome>());
  BOOST_CHECK_EQUAL(
    sink->matching({"message=session_finished", "event=forged_message_refused"})
      .size(),
    1u);
  caf::send_as(
    w1, manager,
    session_finished{*id, session_outcome::completed({{"on", "w1"}})});
  sched.run();
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::completed);
  BOOST_CHECK_EQUAL(outcome->results.at("on"), "w1");
  BOOST_CHECK_EQUAL(running_on("w1"), 0u);
}

BOOST_AUTO_TEST_CASE(a_stop_holds_the_slot_until_the_worker_acknowledges_it) {
  auto id = start(worker_only_codeunit);
  BOOST_REQUIRE(id);
  stop_now(*id);
  BOOST_REQUIRE_EQUAL(told(w1).session_cancels.size(), 1u);
  auto& cancel = told(w1).session_cancels[0];
  BOOST_CHECK_EQUAL(cancel.id, *id);
  BOOST_CHECK_EQUAL(cancel.comment, "not needed");
  BOOST_CHECK(cancel.report_to.address() == manager.address());
  BOOST_CHECK_EQUAL(stops("requested"), 1u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().cancels_requested, 1u);
  // The worker's thread may still be busy: the slot stays taken.
  BOOST_CHECK_EQUAL(running_on("w1"), 1u);
  BOOST_CHECK_EQUAL(load_of(manager).first, 1u);
  // Only the worker that runs it may acknowledge it.
  caf::send_as(w2, manager, session_stop_acknowledged{*id});
  sched.run();
  BOOST_CHECK_EQUAL(running_on("w1"), 1u);
  BOOST_CHECK_EQUAL(
    sink
      ->matching({"message=session_stop_acknowledged",
                  "event=forged_message_refused"})
      .size(),
    1u);
  caf::send_as(w1, manager, session_stop_acknowledged{*id});
  sched.run();
  BOOST_CHECK_EQUAL(running_on("w1"), 0u);
  BOOST_CHECK_EQUAL(load_of(manager).first, 0u);
  BOOST_CHECK_EQUAL(stops("acknowledged"), 1u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().cancels_acknowledged, 1u);
  // Its timer finds the stop settled.
  advance_time(svc->limits.cancel_ack_timeout);
  sched.run();
  BOOST_CHECK_EQUAL(stops("forced"), 0u);
}

BOOST_AUTO_TEST_CASE(a_stop_without_an_acknowledgement_is_forced_in_time) {
  svc_data->sessions.max_concurrent = 1;
  auto id = start(worker_only_codeunit);
  auto queued = start(worker_only_codeunit);
  BOOST_REQUIRE(id && queued);
  stop_now(*id);
  // The queued session waits for the slot.
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{1}, std::uint64_t{1}));
  advance_time(svc->limits.cancel_ack_timeout - std::chrono::milliseconds(1));
  sched.run();
  BOOST_CHECK_EQUAL(stops("forced"), 0u);
  advance_time(std::chrono::milliseconds(1));
  sched.run();
  BOOST_CHECK_EQUAL(stops("forced"), 1u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().cancels_forced, 1u);
  // Freed, and the next session runs in it.
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{1}, std::uint64_t{0}));
  BOOST_REQUIRE_EQUAL(told(w1).sessions.size(), 2u);
  BOOST_CHECK_EQUAL(told(w1).sessions[1].session.session, *queued);
  BOOST_CHECK_EQUAL(running_on("w1"), 1u);
  // An acknowledgement after that changes nothing.
  caf::send_as(w1, manager, session_stop_acknowledged{*id});
  sched.run();
  BOOST_CHECK_EQUAL(stops("acknowledged"), 0u);
  BOOST_CHECK_EQUAL(running_on("w1"), 1u);
}

BOOST_AUTO_TEST_CASE(a_lost_worker_forces_the_stops_it_had_not_acknowledged) {
  auto id = start(worker_only_codeunit);
  BOOST_REQUIRE(id);
  stop_now(*id);
  self->send_exit(w1, caf::exit_reason::remote_link_unreachable);
  sched.run();
  BOOST_CHECK_EQUAL(stops("forced"), 1u);
  BOOST_CHECK_EQUAL(load_of(manager).first, 0u);
}

BOOST_AUTO_TEST_CASE(a_report_after_a_stop_is_dropped) {
  auto id = start(worker_only_codeunit);
  BOOST_REQUIRE(id);
  stop_now(*id);
  caf::send_as(w1, manager,
               session_finished{*id, session_outcome::completed({})});
  sched.run();
  BOOST_CHECK_EQUAL(sink->matching({"event=late_result_dropped"}).size(), 1u);
  // Only the acknowledgement frees the slot.
  BOOST_CHECK_EQUAL(running_on("w1"), 1u);
  auto still = ask<session_outcome>(manager, outcome_atom::value, *id);
  BOOST_REQUIRE(still);
  BOOST_CHECK(still->what == outcome_kind::stopped);
}

BOOST_AUTO_TEST_CASE(a_timeout_reaches_the_worker) {
  auto id = start(echo_codeunit, {}, std::chrono::milliseconds(300));
  BOOST_REQUIRE(id);
  subscribe(*id);
  auto outcome = outcome_at(std::chrono::milliseconds(300));
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::timed_out);
  auto cancels
    = told(w1).session_cancels.size() + told(w2).session_cancels.size();
  BOOST_CHECK_EQUAL(cancels, 1u);
}

BOOST_AUTO_TEST_CASE(
  a_lost_worker_fails_its_sessions_with_the_reason_in_the_close_row) {
  auto first = start(worker_only_codeunit);
  auto second = start(worker_only_codeunit);
  BOOST_REQUIRE(first && second);
  BOOST_REQUIRE_EQUAL(told(w1).sessions.size(), 2u);
  subscribe(*first);
  self->send_exit(w1, caf::exit_reason::remote_link_unreachable);
  sched.run();
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::failed);
  BOOST_CHECK_EQUAL(outcome->error.code, "ChildSessionNodeLost");
  BOOST_CHECK_EQUAL(outcome->comment,
                    "Child Session task was terminated because node w1 was "
                    "lost.");
  auto other = ask<session_outcome>(manager, outcome_atom::value, *second);
  BOOST_REQUIRE(other);
  BOOST_CHECK(other->what == outcome_kind::failed);
  BOOST_CHECK(!svc_data->nodes->find("w1")->live);
  // The Close rows are written on the blocking executor.
  exec->run_all();
  for (auto id : {*first, *second}) {
    auto events = rows(id);
    BOOST_REQUIRE_EQUAL(events.size(), 1u);
    BOOST_CHECK(events[0].what == event_kind::close);
    BOOST_CHECK_EQUAL(events[0].comment, outcome->comment);
  }
  // Later work goes to the survivor; what only the lost node had is refused.
  auto later = start(echo_codeunit);
  BOOST_REQUIRE(later);
  BOOST_CHECK_EQUAL(told(w2).sessions.size(), 1u);
  auto refused = start(worker_only_codeunit);
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(is(refused.error(), errc::unknown_codeunit));
}

BOOST_AUTO_TEST_SUITE_END()
