// Tests runtime/runtime.hpp end to end, on the real scheduler and real
// threads: the embedding API, errors for closed pages and sessions, and that
// a page gets its completion promptly while 100 codeunits sleep elsewhere.
// runtime_companies.cpp tests it with company databases.
#include <boost/test/unit_test.hpp>

#include <mutex>
#include <vector>

#include "core/errc.hpp"
#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"

using namespace stagehand;
using kind = page_event::kind;

namespace {

/// Records events from many page actors at once.
struct event_log {
  std::mutex mtx;
  std::vector<page_event> events;

  page_observer observer() {
    return [this](const page_event& ev) {
      std::lock_guard<std::mutex> guard{mtx};
      events.push_back(ev);
    };
  }

  std::vector<page_event> of(kind what) {
    std::lock_guard<std::mutex> guard{mtx};
    std::vector<page_event> result;
    for (auto& ev : events)
      if (ev.what == what)
        result.push_back(ev);
    return result;
  }
};

struct runtime_fixture {
  config cfg;
  event_log log;
  std::unique_ptr<runtime> rt;

  runtime_fixture() {
    cfg.log_level = "off";
    rt = std::make_unique<runtime>(cfg, log.observer());
    BOOST_REQUIRE(!samples::register_sample_codeunits(rt->codeunits()));
  }

  /// A session on CRONUS that opens no file; the test stops if none opens.
  session_handle open_session() {
    auto session = rt->open_session();
    BOOST_REQUIRE_MESSAGE(session, "open_session failed");
    return std::move(*session);
  }
};

enqueue_task wait_task(int ms, std::string tag = {}) {
  return {samples::wait_codeunit,
          {{"Wait", std::to_string(ms)}},
          caf::none,
          error_level::error,
          std::move(tag)};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(runtime_runtime, runtime_fixture)

BOOST_AUTO_TEST_CASE(enqueue_completes_and_reaches_the_trigger) {
  auto session = open_session();
  auto page = rt->open_page(session, "CUSTOMER 10000");
  auto id = rt->enqueue_background_task(page, wait_task(20));
  BOOST_REQUIRE(id);
  BOOST_REQUIRE(rt->wait_all_tasks_done(page));
  auto completed = log.of(kind::completed);
  BOOST_REQUIRE_EQUAL(completed.size(), 1u);
  BOOST_CHECK_EQUAL(completed[0].task.id, *id);
  BOOST_CHECK_EQUAL(completed[0].results.at("waited"), "20");
  BOOST_CHECK(completed[0].results.count("started") == 1);
  auto snap = rt->stats();
  BOOST_CHECK_EQUAL(snap.completed, 1u);
  BOOST_CHECK_EQUAL(snap.active_child_sessions, 0u);
}

BOOST_AUTO_TEST_CASE(run_page_background_task_returns_results) {
  auto session = open_session();
  auto page = rt->open_page(session, "CUSTOMER 10000");
  auto results = rt->run_page_background_task(page, samples::wait_codeunit,
                                              {{"Wait", "5"}});
  BOOST_REQUIRE(results);
  BOOST_CHECK_EQUAL(results->at("waited"), "5");
  auto bad = rt->run_page_background_task(page, samples::wait_codeunit,
                                          {{"Wait", "soon"}});
  BOOST_REQUIRE(!bad);
  BOOST_CHECK_EQUAL(describe(bad.error()),
                    "Dialog: Could not parse parameter WaitParam");
}

BOOST_AUTO_TEST_CASE(closed_pages_and_sessions_give_clear_errors) {
  auto session = open_session();
  auto page = rt->open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(rt->close_page(page));
  auto id = rt->enqueue_background_task(page, wait_task(1));
  BOOST_REQUIRE(!id);
  BOOST_CHECK(is(id.error(), errc::page_closed));
  BOOST_CHECK(!rt->set_record(page, "X"));
  BOOST_CHECK(!rt->cancel_background_task(page, 1));
  BOOST_REQUIRE(rt->close_session(session));
  auto again = rt->close_session(session);
  BOOST_REQUIRE(!again);
  BOOST_CHECK(is(again.error(), errc::session_closed));
}

BOOST_AUTO_TEST_CASE(wait_over_its_bound_fails_naming_the_bound) {
  auto session = open_session();
  auto page = rt->open_page(session, "CUSTOMER 10000");
  for (std::string wait : {"86400001", "99999999999999999999999"}) {
    auto result = rt->run_page_background_task(page, samples::wait_codeunit,
                                               {{"Wait", wait}});
    BOOST_REQUIRE(!result);
    BOOST_CHECK_EQUAL(describe(result.error()),
                      "Dialog: Wait must be at most 86400000 ms (one day); "
                      "got "
                        + wait + ".");
  }
}

BOOST_AUTO_TEST_CASE(a_timeout_abandons_a_spinning_codeunit) {
  auto session = open_session();
  auto page = rt->open_page(session, "CUSTOMER 10000");
  enqueue_task spin{samples::spin_codeunit,
                    {{"Ms", "300"}},
                    caf::timespan{std::chrono::milliseconds(20)},
                    error_level::warning,
                    ""};
  BOOST_REQUIRE(rt->enqueue_background_task(page, spin));
  BOOST_REQUIRE(rt->wait_all_tasks_done(page));
  auto errors = log.of(kind::error);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK_EQUAL(errors[0].error.code, "ChildSessionTaskTimeout");
  // The error arrived while the codeunit still spins: its slot is free.
  BOOST_CHECK_EQUAL(rt->stats().active_child_sessions, 0u);
  auto notes = log.of(kind::notification);
  BOOST_REQUIRE_EQUAL(notes.size(), 1u);
  BOOST_CHECK_EQUAL(notes[0].level, "warning");
}

BOOST_AUTO_TEST_CASE(a_page_is_not_held_back_by_100_sleeping_codeunits) {
  std::vector<page_handle> busy;
  for (int s = 0; s < 20; ++s) {
    auto session = open_session();
    auto page = rt->open_page(session, "CUSTOMER " + std::to_string(s));
    for (int i = 0; i < 5; ++i)
      BOOST_REQUIRE(
        rt->enqueue_background_task(page, wait_task(60000, "sleeper")));
    busy.push_back(page);
  }
  auto probe_session = open_session();
  auto probe = rt->open_page(probe_session, "PROBE");
  for (int i = 0; i < 20; ++i) {
    BOOST_REQUIRE(rt->enqueue_background_task(
      probe,
      {samples::empty_codeunit, {}, caf::none, error_level::error, "probe"}));
    BOOST_REQUIRE(rt->wait_all_tasks_done(probe));
  }
  // All 20 probe tasks finished while every sleeper still sleeps: codeunits
  // never borrow the scheduler's threads.
  BOOST_CHECK_EQUAL(log.of(kind::completed).size(), 20u);
  BOOST_CHECK_EQUAL(rt->stats().active_child_sessions, 100u);
  // Closing the pages wakes the sleepers at once (cancellation-aware sleep).
  for (auto& page : busy)
    BOOST_REQUIRE(rt->close_page(page));
  BOOST_CHECK_EQUAL(log.of(kind::cancelled).size(), 100u);
  BOOST_CHECK(rt->wait_idle(std::chrono::seconds(10)));
}

BOOST_AUTO_TEST_SUITE_END()
