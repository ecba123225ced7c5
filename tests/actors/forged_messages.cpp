// Tests actors/sender_check.hpp where it is used: every message that only the
// runtime may send is refused, and logged, when someone else sends it. The
// test actor plays the forger; it holds the same kind of handle a client on
// another node would, cast to the internal face. The same from a real second
// node is in tests/runtime/runtime_actor.cpp.
#include <boost/test/unit_test.hpp>

#include "actors/session_supervisor.hpp"
#include "messages/child_finished.hpp"
#include "messages/child_started.hpp"
#include "messages/page_internal_actor.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/log_capture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

namespace {

struct forgery_fixture : actor_fixture {
  std::shared_ptr<capture_sink> sink = std::make_shared<capture_sink>();

  forgery_fixture() {
    svc_data->log = capture_logger(sink, spdlog::level::debug);
  }

  /// The messages refused so far, by name, in order.
  std::vector<std::string> refused() {
    std::vector<std::string> names;
    for (auto& line : sink->matching({"event=forged_message_refused"})) {
      auto at = line.find("message=");
      names.push_back(line.substr(at + 8, line.find(' ', at) - at - 8));
    }
    return names;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_forged_messages, forgery_fixture)

BOOST_AUTO_TEST_CASE(a_page_takes_task_reports_only_from_its_supervisor) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto id = enqueue(page, echo_codeunit, {{"N", "real"}});
  BOOST_REQUIRE(id);
  auto forged = caf::actor_cast<page_internal_actor>(page.actor);
  self->send(forged, task_admitted{*id});
  self->send(forged, task_started{*id});
  self->send(forged, task_rejected{*id, make_error(errc::queue_full)});
  self->send(forged,
             task_finished{*id, 0, task_outcome::completed({{"N", "forged"}})});
  self->send(forged, write_done{1, {}});
  sched.run();
  BOOST_CHECK(refused()
              == (std::vector<std::string>{"task_admitted", "task_started",
                                           "task_rejected", "task_finished",
                                           "write_done"}));
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  BOOST_CHECK_EQUAL(count(kind::error), 0u);
  BOOST_CHECK_EQUAL(*ask<std::uint64_t>(page.actor, pending_tasks_atom::value),
                    1u);
  // The real result still arrives, once.
  run_codeunits();
  auto completed = events_of(kind::completed);
  BOOST_REQUIRE_EQUAL(completed.size(), 1u);
  BOOST_CHECK_EQUAL(completed[0].results.at("N"), "real");
}

BOOST_AUTO_TEST_CASE(a_supervisor_takes_a_task_s_reports_only_from_its_child) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto id = enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(1)});
  BOOST_REQUIRE(id);
  auto supervisor = supervisors.at(session.id);
  // A forged start would start the timeout; a forged outcome would free the
  // slot and reach the page.
  self->send(supervisor, child_started{page.id, *id});
  self->send(supervisor,
             child_finished{page.id, *id, task_outcome::completed({})});
  self->send(supervisor, timeout_tick{});
  self->send(supervisor,
             submit_task{background_task{},
                         caf::actor_cast<page_internal_actor>(page.actor)});
  sched.run();
  BOOST_CHECK(refused()
              == (std::vector<std::string>{"child_started", "child_finished",
                                           "timeout_tick", "submit_task"}));
  BOOST_CHECK(load(session) == std::make_pair(std::uint64_t{1}, std::uint64_t{0}));
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  // No timeout counts: the forged start was not taken.
  advance_time(std::chrono::seconds(2));
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::error), 0u);
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::completed), 1u);
}

BOOST_AUTO_TEST_SUITE_END()
