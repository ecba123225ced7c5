// Tests runtime/external_first_work_stealing.hpp on real threads: a message
// the clock thread delivers is handled while the worker's queue is still full
// of jobs the workers queued themselves, not after they all ran.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>

#include <caf/all.hpp>

#include "runtime/config.hpp"

using namespace stagehand;
using namespace std::chrono_literals;

namespace {

using steady = std::chrono::steady_clock;
using ping_atom = caf::atom_constant<caf::atom("ping")>;

/// Keeps its worker busy for `busy`, counts itself done and ends.
void busy_job(caf::event_based_actor* self, steady::duration busy,
              std::atomic<int>* done) {
  auto until = steady::now() + busy;
  while (steady::now() < until) {
    // Spin: the point is to hold the worker.
  }
  done->fetch_add(1);
  self->quit();
}

} // namespace

BOOST_AUTO_TEST_SUITE(runtime_external_first_work_stealing)

BOOST_AUTO_TEST_CASE(a_timer_delivery_overtakes_a_backlog_of_spawned_jobs) {
  constexpr int jobs = 2000; // 2 s of work at 1 ms a job
  config cfg;
  // One worker: nothing steals the backlog away, so only the queue's order
  // decides when the timer's message runs.
  cfg.set("scheduler.max-threads", 1);
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  std::atomic<int> done{0};
  // Tells `self` how many jobs had run when the timer's message reached it.
  auto probe = sys.spawn([&](caf::event_based_actor*) -> caf::behavior {
    return {[&](ping_atom) {
              caf::anon_send(self, ping_atom::value, done.load());
            },
            [](caf::get_atom) { return caf::ok_atom::value; }};
  });
  // The probe must be idle when the timer fires: an actor that still has a
  // job queued takes the message with that job, wherever it sits.
  bool probe_ready = false;
  self->request(probe, 10s, caf::get_atom::value)
    .receive([&](caf::ok_atom) { probe_ready = true; },
             [](caf::error&) {});
  BOOST_REQUIRE_MESSAGE(probe_ready, "the probe did not answer within 10 s");
  // From inside the worker: arm a 50 ms timer for the probe, then queue the
  // backlog (a spawn from a worker goes on that worker's own queue). The
  // clock thread delivers the timer, which schedules the idle probe from
  // outside the workers.
  sys.spawn([&](caf::event_based_actor* flood) {
    flood->delayed_send(probe, 50ms, ping_atom::value);
    for (int i = 0; i < jobs; ++i)
      flood->spawn(busy_job, 1ms, &done);
  });
  int done_when_fired = -1;
  self->receive([&](ping_atom, int n) { done_when_fired = n; },
                caf::after(30s) >> [] {});
  BOOST_REQUIRE_MESSAGE(done_when_fired >= 0,
                        "the probe got no timer message within 30 s");
  BOOST_CHECK_MESSAGE(done_when_fired < jobs / 2,
                      "the timer's message waited for " << done_when_fired
                        << " of " << jobs << " queued jobs");
  self->send_exit(probe, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_SUITE_END()
