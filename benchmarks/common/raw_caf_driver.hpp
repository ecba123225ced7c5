#pragma once

#include <chrono>
#include <memory>
#include <thread>

#include <caf/all.hpp>

#include "benchmarks/common/measure.hpp"

namespace stagehand::bench {

/// The raw CAF floor: per task, a parent spawns a child, requests it, the
/// child replies and quits. `work` runs inside the child, on a scheduler
/// thread, as a naive actor program would run it.
struct raw_parent_state {
  std::shared_ptr<budget> tasks;
  std::shared_ptr<latch> done;
  sample_set* latencies = nullptr;
  std::chrono::milliseconds work{0};
};

inline caf::behavior raw_child(caf::event_based_actor* self,
                               std::chrono::milliseconds work) {
  return {[=](int x) {
    if (work.count() > 0)
      std::this_thread::sleep_for(work);
    self->quit();
    return x;
  }};
}

inline void raw_start(caf::stateful_actor<raw_parent_state>* self) {
  auto& st = self->state;
  if (!st.tasks->take())
    return;
  auto started = clock_type::now();
  auto child = self->spawn(raw_child, st.work);
  self->request(child, caf::infinite, 1)
    .then(
      [self, started](int) {
        auto& st = self->state;
        if (st.latencies != nullptr)
          st.latencies->add(micros(clock_type::now() - started));
        st.done->count_down();
        raw_start(self);
      },
      [](caf::error&) {});
}

/// Keeps `in_flight` round trips going while the budget lasts.
inline caf::behavior raw_parent(caf::stateful_actor<raw_parent_state>* self,
                                raw_parent_state init, int in_flight) {
  self->state = std::move(init);
  for (int i = 0; i < in_flight; ++i)
    raw_start(self);
  return {[](caf::ok_atom) {}};
}

} // namespace stagehand::bench
