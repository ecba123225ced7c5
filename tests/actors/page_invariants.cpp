// Tests the promise of actors/page.hpp under load: across thousands of random
// enqueues, cancels, record changes, closes, codeunit returns and timeouts,
// every admitted task ends in exactly one outcome, nothing is delivered
// twice, and no result reaches a page that has moved to another record.
#include <boost/test/unit_test.hpp>

#include <map>
#include <random>
#include <set>

#include "tests/support/actor_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

namespace {

struct page_model {
  page_handle handle;
  std::shared_ptr<recording_triggers> triggers;
  std::string record;
  std::size_t session_index = 0;
  bool open = true;
};

struct session_model {
  session_handle handle;
  bool open = true;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_page_invariants, actor_fixture)

BOOST_AUTO_TEST_CASE(every_task_ends_in_exactly_one_outcome) {
  svc_data->limits.max_concurrency = 2;
  svc_data->limits.max_queue_length = 3;
  std::mt19937 rng{20261122};
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>{0, n - 1}(rng);
  };
  std::vector<session_model> sessions_m;
  std::vector<page_model> pages;
  int next_record = 0;
  auto add_page = [&](std::size_t s) {
    auto triggers = std::make_shared<recording_triggers>();
    auto record = "R" + std::to_string(next_record++);
    pages.push_back({open_page(sessions_m[s].handle, record, triggers),
                     triggers, record, s, true});
  };
  auto add_session = [&] {
    sessions_m.push_back({open_session(), true});
    for (int i = 0; i < 3; ++i)
      add_page(sessions_m.size() - 1);
  };
  for (int i = 0; i < 3; ++i)
    add_session();
  std::map<page_id, std::size_t> page_index;
  auto index_pages = [&] {
    for (std::size_t i = 0; i < pages.size(); ++i)
      page_index[pages[i].handle.id] = i;
  };
  index_pages();
  // Checks events as they arrive: a result must match the page's record now.
  std::size_t checked = 0;
  auto check_new_events = [&] {
    for (; checked < events.size(); ++checked) {
      auto& ev = events[checked];
      if (ev.what == kind::completed || ev.what == kind::error) {
        auto& p = pages[page_index.at(ev.page)];
        BOOST_CHECK_EQUAL(ev.task.record_id, p.record);
        BOOST_CHECK(p.open);
      }
    }
  };
  std::size_t ops = 0;
  for (; ops < 6000; ++ops) {
    auto dice = pick(100);
    std::vector<std::size_t> open_pages;
    for (std::size_t i = 0; i < pages.size(); ++i)
      if (pages[i].open)
        open_pages.push_back(i);
    auto& p = pages[open_pages[pick(open_pages.size())]];
    if (dice < 40) {
      caf::optional<caf::timespan> timeout;
      if (pick(3) == 0)
        timeout = caf::timespan{std::chrono::milliseconds(100 + pick(2000))};
      auto codeunit = pick(4) == 0 ? failing_codeunit : echo_codeunit;
      enqueue(p.handle, codeunit, {{"Message", "boom"}}, timeout,
              static_cast<error_level>(pick(3)));
    } else if (dice < 50) {
      ask<bool>(p.handle.actor, cancel_task{1 + pick(40)});
    } else if (dice < 55) {
      p.record = "R" + std::to_string(next_record++);
      self->send(p.handle.actor, change_record{p.record});
      sched.run();
    } else if (dice < 57) {
      self->send(p.handle.actor, close_page{cancel_reason::page_closed});
      sched.run();
      p.open = false;
      add_page(p.session_index);
      index_pages();
    } else if (dice < 58) {
      auto& s = sessions_m[pick(sessions_m.size())];
      if (!s.open)
        continue;
      self->send(s.handle.actor, close_session{});
      sched.run();
      s.open = false;
      for (auto& q : pages)
        if (q.session_index == static_cast<std::size_t>(&s - sessions_m.data()))
          q.open = false;
      add_session();
      index_pages();
    } else if (dice < 80) {
      exec->run_next();
      sched.run();
    } else if (dice < 85) {
      // Codeunits start on their threads; their timeouts begin to count.
      begin_codeunits();
    } else {
      advance_time(std::chrono::milliseconds(pick(1500)));
      sched.run();
    }
    check_new_events();
  }
  // Drain: every codeunit returns, every timer fires, every session closes.
  run_codeunits();
  trigger_timeouts();
  sched.run();
  for (auto& s : sessions_m)
    if (s.open)
      self->send(s.handle.actor, close_session{});
  sched.run();
  run_codeunits();
  check_new_events();
  // Exactly one outcome per admitted task, none for refused ones.
  using task_ref = std::pair<page_id, task_id>;
  std::map<task_ref, int> outcomes;
  std::set<task_ref> admitted;
  std::set<task_ref> refused;
  std::map<page_id, std::size_t> completions;
  for (auto& ev : events) {
    task_ref ref{ev.page, ev.task.id};
    switch (ev.what) {
    case kind::enqueued:
      BOOST_CHECK(admitted.insert(ref).second);
      break;
    case kind::enqueue_failed:
      if (ev.task.id != 0)
        refused.insert(ref);
      break;
    case kind::completed:
      ++completions[ev.page];
      [[fallthrough]];
    case kind::error:
    case kind::cancelled:
      ++outcomes[ref];
      break;
    default:
      break;
    }
  }
  BOOST_TEST_MESSAGE(ops << " operations, " << admitted.size() << " admitted, "
                         << refused.size() << " refused");
  BOOST_CHECK_GT(admitted.size(), 1000u);
  BOOST_CHECK_GT(refused.size(), 10u);
  for (auto& ref : admitted)
    BOOST_CHECK_EQUAL(outcomes[ref], 1);
  for (auto& [ref, n] : outcomes)
    BOOST_CHECK_MESSAGE(admitted.count(ref) == 1,
                        "outcome without admission for task " << ref.second);
  for (auto& ref : refused)
    BOOST_CHECK_EQUAL(outcomes.count(ref), 0u);
  // Triggers saw exactly the completions that observers saw.
  for (auto& p : pages)
    BOOST_CHECK_EQUAL(p.triggers->count("OnPageBackgroundTaskCompleted"),
                      completions[p.handle.id]);
  auto snap = svc->stats->snapshot();
  BOOST_CHECK_EQUAL(snap.pending_tasks, 0u);
  BOOST_CHECK_EQUAL(snap.active_child_sessions, 0u);
  BOOST_CHECK_EQUAL(snap.queued_tasks, 0u);
  BOOST_CHECK_EQUAL(snap.completed + snap.failed + snap.timed_out
                      + snap.cancelled,
                    admitted.size());
  BOOST_CHECK_GT(snap.timed_out, 0u);
  BOOST_CHECK_GT(snap.failed, 0u);
}

BOOST_AUTO_TEST_SUITE_END()
