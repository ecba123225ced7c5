// Tests actors/page.hpp against page code and observers that throw: the
// exception is caught and logged, and the page keeps serving its tasks.
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <stdexcept>

#include <spdlog/sinks/ostream_sink.h>

#include "tests/support/actor_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

namespace {

/// The actor fixture with its log in a string, and an observer that records
/// each event and then throws what `thrower` throws.
struct throwing_observer_fixture : actor_fixture {
  std::ostringstream log_text;
  std::function<void(const page_event&)> thrower;

  throwing_observer_fixture() {
    svc_data->log = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_st>(log_text));
    svc_data->observer = [this](const page_event& ev) {
      events.push_back(ev);
      if (thrower)
        thrower(ev);
    };
  }

  /// Closes the sessions while the log text and the thrower still exist:
  /// the base fixture closes them only after these members are gone.
  ~throwing_observer_fixture() {
    for (auto& session : sessions)
      self->send(session.actor, close_session{});
    sessions.clear();
    sched.run();
  }

  std::size_t logged(const std::string& text) const {
    std::size_t n = 0;
    auto all = log_text.str();
    for (auto i = all.find(text); i != std::string::npos;
         i = all.find(text, i + 1))
      ++n;
    return n;
  }

  /// A page that completed one task after the other, with `thrower` active
  /// throughout; returns the page.
  page_handle run_two_tasks(std::shared_ptr<recording_triggers> triggers) {
    auto session = open_session();
    auto page = open_page(session, "CUSTOMER 10000", triggers);
    auto first = enqueue(page, echo_codeunit, {{"n", "1"}});
    BOOST_REQUIRE_MESSAGE(first, describe(first));
    run_codeunits();
    auto second = enqueue(page, echo_codeunit, {{"n", "2"}});
    BOOST_REQUIRE_MESSAGE(second, describe(second));
    run_codeunits();
    return page;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_page_observer, throwing_observer_fixture)

BOOST_AUTO_TEST_CASE(an_observer_that_throws_does_not_end_the_page) {
  thrower = [](const page_event&) {
    throw std::runtime_error("observer is broken");
  };
  auto triggers = std::make_shared<recording_triggers>();
  auto page = run_two_tasks(triggers);
  BOOST_CHECK_EQUAL(count(kind::completed), 2u);
  BOOST_CHECK_EQUAL(triggers->count("OnPageBackgroundTaskCompleted"), 2u);
  BOOST_CHECK_EQUAL(triggers->count("OnAllBackgroundTasksDone"), 2u);
  auto pending = ask<std::uint64_t>(page.actor, pending_tasks_atom::value);
  BOOST_REQUIRE_MESSAGE(pending, describe(pending));
  BOOST_CHECK_EQUAL(*pending, 0u);
  // Each event it saw was logged once: enqueued, started, completed, twice.
  BOOST_CHECK_EQUAL(logged("event=observer_error text=\"observer is broken\""),
                    6u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().completed, 2u);
}

BOOST_AUTO_TEST_CASE(an_observer_that_throws_a_non_exception_is_caught_too) {
  thrower = [](const page_event& ev) {
    if (ev.what == kind::started)
      throw 42;
  };
  auto triggers = std::make_shared<recording_triggers>();
  run_two_tasks(triggers);
  BOOST_CHECK_EQUAL(count(kind::completed), 2u);
  BOOST_CHECK_EQUAL(logged("event=observer_error text=\"unknown exception\""),
                    2u);
}

BOOST_AUTO_TEST_CASE(the_error_notification_of_a_trigger_survives_the_observer) {
  // The trigger throws; its Error notification then reaches an observer that
  // throws as well. Both are logged, and the next task still completes.
  thrower = [](const page_event& ev) {
    if (ev.what == kind::notification)
      throw std::runtime_error("cannot show notifications");
  };
  auto triggers = std::make_shared<recording_triggers>();
  int calls = 0;
  triggers->on_completed = [&](page_context&, const background_task&) {
    if (++calls == 1)
      throw 7;
  };
  run_two_tasks(triggers);
  BOOST_CHECK_EQUAL(calls, 2);
  BOOST_CHECK_EQUAL(count(kind::completed), 2u);
  auto notes = events_of(kind::notification);
  BOOST_REQUIRE_EQUAL(notes.size(), 1u);
  BOOST_CHECK_EQUAL(notes[0].text,
                    "OnPageBackgroundTaskCompleted raised an unknown "
                    "exception.");
  BOOST_CHECK_EQUAL(logged("trigger=OnPageBackgroundTaskCompleted "
                           "event=trigger_error text=\"unknown exception\""),
                    1u);
  BOOST_CHECK_EQUAL(logged("event=observer_error text=\"cannot show "
                           "notifications\""),
                    1u);
}

BOOST_AUTO_TEST_CASE(a_throwing_observer_does_not_stop_cancels_or_closing) {
  thrower = [](const page_event&) { throw std::runtime_error("no"); };
  auto triggers = std::make_shared<recording_triggers>();
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  for (int i = 0; i < 3; ++i)
    BOOST_REQUIRE(enqueue(page, echo_codeunit));
  self->send(page.actor, change_record{"CUSTOMER 20000"});
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::cancelled), 3u);
  BOOST_CHECK_EQUAL(triggers->count("OnAfterGetCurrRecord"), 2u);
  auto pending = ask<std::uint64_t>(page.actor, pending_tasks_atom::value);
  BOOST_REQUIRE_MESSAGE(pending, describe(pending));
  BOOST_CHECK_EQUAL(*pending, 0u);
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{0}, std::uint64_t{0}));
}

BOOST_AUTO_TEST_SUITE_END()
