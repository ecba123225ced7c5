// Tests core/prompt_actor_clock.hpp and core/prompt_clock_scheduler.hpp
// on real threads: Stagehand's systems use it, a due timer fires on time
// while other threads keep the clock busy, timers of every kind still fire,
// and CAF's test scheduler stays in place for the deterministic tests.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include "runtime/config.hpp"
#include "core/prompt_actor_clock.hpp"
#include "core/prompt_clock_scheduler.hpp"
#include "tests/support/deadline.hpp"

using namespace stagehand;
using namespace std::chrono_literals;

namespace {

using steady = std::chrono::steady_clock;
using ping_atom = caf::atom_constant<caf::atom("ping")>;

/// Threads that set and cancel request timeouts on the system's clock as fast
/// as they can, as many short requests and ending actors do under load.
/// Nothing they set is ever due, so the schedule stays small.
class clock_churn {
public:
  clock_churn(caf::actor_system& sys, const caf::actor& owner, int threads) {
    auto ptr = caf::actor_cast<caf::abstract_actor*>(owner);
    for (int i = 0; i < threads; ++i)
      threads_.emplace_back([this, &sys, ptr, i] {
        auto& clock = sys.clock();
        std::uint64_t n = 0;
        while (!stop_) {
          auto id = caf::make_message_id(++n * 8 + i);
          clock.set_request_timeout(clock.now() + 1h, ptr, id);
          clock.cancel_request_timeout(ptr, id);
          ++handed_over_;
        }
      });
  }

  /// Timeouts set and cancelled on the clock so far, by all threads.
  std::uint64_t handed_over() const {
    return handed_over_;
  }

  ~clock_churn() {
    stop_ = true;
    for (auto& t : threads_)
      t.join();
  }

private:
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> handed_over_{0};
  std::vector<std::thread> threads_;
};

/// How late a delayed message due in 50 ms arrives at `self`, or 10 s if it
/// does not arrive within 10 s.
steady::duration lateness_of_a_delayed_message(caf::scoped_actor& self) {
  auto due = steady::now() + 50ms;
  self->delayed_send(self, 50ms, ping_atom::value);
  auto late = steady::duration{10s};
  self->receive([&](ping_atom) { late = steady::now() - due; },
                caf::after(10s) >> [] {});
  return late;
}

long long ms(steady::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

} // namespace

BOOST_AUTO_TEST_SUITE(core_prompt_actor_clock)

BOOST_AUTO_TEST_CASE(a_stagehand_system_keeps_its_timers_on_the_prompt_clock) {
  config cfg;
  caf::actor_system sys{cfg};
  BOOST_CHECK(dynamic_cast<prompt_actor_clock*>(&sys.clock()) != nullptr);
  // Installing twice keeps one factory.
  auto factories = cfg.module_factories.size();
  use_prompt_clock(cfg);
  BOOST_CHECK_EQUAL(cfg.module_factories.size(), factories);
}

BOOST_AUTO_TEST_CASE(the_testing_policy_keeps_caf_s_deterministic_scheduler) {
  config cfg;
  cfg.set("scheduler.policy", caf::atom("testing"));
  caf::actor_system sys{cfg};
  BOOST_CHECK(dynamic_cast<caf::scheduler::test_coordinator*>(&sys.scheduler())
              != nullptr);
}

BOOST_AUTO_TEST_CASE(a_due_timer_fires_while_other_threads_keep_the_clock_busy) {
  config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  steady::duration late;
  {
    clock_churn churn{sys, caf::actor_cast<caf::actor>(self), 2};
    // The clock is busy once the churn has handed it work, not once the
    // threads exist: 10 000 set-and-cancel pairs, about 2 ms of churn here
    // (87 000 came in 20 ms beside a two-job build), so this waits for the
    // churn to run, not for a guessed moment.
    test::require_eventually(
      [&] {
        return churn.handed_over() >= 10'000;
      },
      "the churn handing the clock 10 000 timeouts");
    late = lateness_of_a_delayed_message(self);
  }
  BOOST_CHECK_MESSAGE(late < 500ms, "the delayed message came " << ms(late)
                                      << " ms late");
}

BOOST_AUTO_TEST_CASE(request_and_receive_timeouts_still_fire) {
  config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  // Takes each request's promise and never keeps it.
  // Each function actor takes an argument: CAF 0.17 dereferences a null
  // argument tuple otherwise (UBSan reports it).
  auto silent = sys.spawn([](caf::event_based_actor* self, int) -> caf::behavior {
    auto held = std::make_shared<std::vector<caf::response_promise>>();
    return {[=](ping_atom) { held->push_back(self->make_response_promise()); }};
  }, 0);
  auto echo = sys.spawn([](int) -> caf::behavior {
    return {[](ping_atom x) { return x; }};
  }, 0);
  auto start = steady::now();
  caf::error timeout;
  self->request(silent, 50ms, ping_atom::value)
    .receive([] {}, [&](caf::error& err) { timeout = std::move(err); });
  BOOST_CHECK(timeout == caf::sec::request_timeout);
  BOOST_CHECK_LT(ms(steady::now() - start), 2000);
  bool answered = false;
  self->request(echo, 5s, ping_atom::value)
    .receive([&](ping_atom) { answered = true; },
             [&](caf::error& err) { BOOST_ERROR(sys.render(err)); });
  BOOST_CHECK(answered);
  // An event-based receive timeout (`after` in a behavior).
  auto waiter = sys.spawn([](caf::event_based_actor* self,
                             caf::actor probe) -> caf::behavior {
    return {[](ping_atom) {},
            caf::after(30ms) >> [=] {
              self->send(probe, ping_atom::value);
              self->quit();
            }};
  }, caf::actor_cast<caf::actor>(self));
  bool fired = false;
  self->receive([&](ping_atom) { fired = true; }, caf::after(5s) >> [] {});
  BOOST_CHECK_MESSAGE(fired, "no receive timeout within 5 s");
  self->send_exit(waiter, caf::exit_reason::user_shutdown);
  self->send_exit(silent, caf::exit_reason::user_shutdown);
  self->send_exit(echo, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(shutdown_drops_timers_that_are_not_due) {
  auto start = steady::now();
  {
    config cfg;
    caf::actor_system sys{cfg};
    caf::scoped_actor self{sys};
    self->delayed_send(self, 1h, ping_atom::value);
    auto& clock = dynamic_cast<prompt_actor_clock&>(sys.clock());
    BOOST_CHECK_GE(clock.pending(), 1u);
  }
  BOOST_CHECK_LT(ms(steady::now() - start), 5000);
}

BOOST_AUTO_TEST_SUITE_END()
