// Timer lateness of raw CAF: one actor holds all delayed messages, with
// delays spread over 10–1,000 ms, and measures how late each arrives.
#include <random>

#include "benchmarks/common/raw_caf_driver.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

namespace {

using deadline_atom = caf::atom_constant<caf::atom("deadline")>;

caf::behavior timer_owner(caf::event_based_actor* self, std::int64_t tasks,
                          sample_set* lateness, latch* done) {
  std::mt19937 rng{42};
  std::uniform_int_distribution<int> delay_ms{10, 1000};
  auto origin = clock_type::now();
  for (std::int64_t i = 0; i < tasks; ++i) {
    auto delay = std::chrono::milliseconds(delay_ms(rng));
    auto due = std::chrono::duration_cast<std::chrono::nanoseconds>(
                 clock_type::now() + delay - origin)
                 .count();
    self->delayed_send(self, delay, deadline_atom::value,
                       static_cast<std::int64_t>(due));
  }
  return {[=](deadline_atom, std::int64_t due_ns) {
    auto late = clock_type::now() - (origin + std::chrono::nanoseconds(due_ns));
    lateness->add(micros(late));
    done->count_down();
  }};
}

} // namespace

std::vector<double> timeouts_raw_caf(std::int64_t tasks) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  sample_set lateness;
  latch done{tasks};
  auto owner = sys.spawn(timer_owner, tasks, &lateness, &done);
  done.wait();
  caf::anon_send_exit(owner, caf::exit_reason::user_shutdown);
  return lateness.take();
}

} // namespace stagehand::bench
