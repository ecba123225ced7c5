// Tests core/clock_first_work_stealing.hpp on real threads, with one
// worker so that nothing steals and only the order of its queue decides: a
// message the clock thread delivers is handled while the queue is still full
// of jobs the worker queued itself, and a message from any other thread still
// waits its turn behind them.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include <caf/all.hpp>

#include "runtime/config.hpp"

using namespace stagehand;
using namespace std::chrono_literals;

namespace {

using steady = std::chrono::steady_clock;
using ping_atom = caf::atom_constant<caf::atom("ping")>;

constexpr int backlog_jobs = 2000; // 2 s of work at 1 ms a job

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

/// A Stagehand system with one worker, and an idle probe actor that tells
/// the test how many backlog jobs had run when a ping reached it.
struct one_worker_fixture {
  struct one_worker_config : config {
    one_worker_config() {
      set("scheduler.max-threads", 1);
    }
  };

  one_worker_fixture() : sys(cfg), self(sys) {
    // Every function actor here takes an argument: CAF 0.17 dereferences a
    // null argument tuple otherwise (UBSan reports it).
    probe = sys.spawn([this](caf::event_based_actor*, int) -> caf::behavior {
      return {[this](ping_atom) {
                caf::anon_send(self, ping_atom::value, done.load());
              },
              [](caf::get_atom) { return caf::ok_atom::value; }};
    }, 0);
    // The probe must be idle when the ping comes: an actor that still has a
    // job queued takes the message with that job, wherever it sits.
    bool ready = false;
    self->request(probe, 10s, caf::get_atom::value)
      .receive([&](caf::ok_atom) { ready = true; }, [](caf::error&) {});
    BOOST_REQUIRE_MESSAGE(ready, "the probe did not answer within 10 s");
  }

  ~one_worker_fixture() {
    self->send_exit(probe, caf::exit_reason::user_shutdown);
  }


  /// Runs `arm` on the worker, then queues the backlog behind it there (a
  /// spawn from a worker goes on that worker's own queue).
  void flood_after(std::function<void(caf::event_based_actor*)> arm) {
    sys.spawn([this, arm](caf::event_based_actor* flood, int) {
      arm(flood);
      for (int i = 0; i < backlog_jobs; ++i)
        flood->spawn(busy_job, 1ms, &done);
      queued = true;
    }, 0);
  }

  /// How many backlog jobs had run when the probe got its ping.
  int done_when_pinged() {
    int n = -1;
    self->receive([&](ping_atom, int x) { n = x; }, caf::after(30s) >> [] {});
    BOOST_REQUIRE_MESSAGE(n >= 0, "the probe got no ping within 30 s");
    return n;
  }

  one_worker_config cfg;
  caf::actor_system sys;
  caf::scoped_actor self;
  caf::actor probe;
  std::atomic<int> done{0};
  std::atomic<bool> queued{false};
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(core_clock_first_work_stealing, one_worker_fixture)

BOOST_AUTO_TEST_CASE(a_timer_delivery_overtakes_a_backlog_of_spawned_jobs) {
  // The clock thread delivers the ping and schedules the idle probe.
  flood_after([this](caf::event_based_actor* flood) {
    flood->delayed_send(probe, 50ms, ping_atom::value);
  });
  auto n = done_when_pinged();
  BOOST_CHECK_MESSAGE(n < backlog_jobs / 2, "the timer's message waited for "
                                              << n << " of " << backlog_jobs
                                              << " queued jobs");
}

BOOST_AUTO_TEST_CASE(a_message_from_another_thread_waits_its_turn) {
  // Were every outside job put first, a thread sending in a loop would bury
  // older work for as long as it kept sending.
  flood_after([](caf::event_based_actor*) {});
  auto deadline = steady::now() + 10s;
  while (!queued && steady::now() < deadline)
    std::this_thread::sleep_for(1ms);
  BOOST_REQUIRE_MESSAGE(queued, "the backlog was not queued within 10 s");
  caf::anon_send(probe, ping_atom::value);
  auto n = done_when_pinged();
  BOOST_CHECK_MESSAGE(n > backlog_jobs / 2,
                      "the test thread's message overtook the backlog after "
                        << n << " of " << backlog_jobs << " jobs");
}

BOOST_AUTO_TEST_SUITE_END()
