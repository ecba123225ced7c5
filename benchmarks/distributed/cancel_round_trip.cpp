// The cost of a cancel round trip: per trial a page starts a long wait task,
// cancels it, and the clock runs from the cancel call to the page's
// `cancelled` event with state `acknowledged`. Locally that event comes at
// once; on a worker it waits for the supervisor's `cancel_remote_task` to
// cross the door and the worker's `cancel_acknowledged` to come back.
#include <mutex>
#include <stdexcept>
#include <thread>

#include "benchmarks/common/await.hpp"
#include "benchmarks/common/bench_cluster.hpp"
#include "benchmarks/common/placement_counts.hpp"
#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

namespace {

/// Far above a cancel round trip and a task start on a worker; past it the
/// run fails instead of hanging.
constexpr auto trial_limit = std::chrono::seconds(10);

/// Between a task's `started` event and its cancel: far above the time a
/// worker takes to start the codeunit (a whole empty task placed there takes
/// about 0.25 ms at p50).
constexpr auto settle_time = std::chrono::milliseconds(5);

/// Where each trial's task started, and when and how its cancel settled.
struct cancel_watch {
  std::mutex mtx;
  std::vector<std::string> started_on;
  std::vector<std::pair<clock_type::time_point, cancel_state>> cancels;

  page_observer observer() {
    return [this](const page_event& ev) {
      auto now = clock_type::now();
      std::lock_guard<std::mutex> guard{mtx};
      if (ev.what == page_event::kind::started)
        started_on.push_back(ev.node);
      else if (ev.what == page_event::kind::cancelled)
        cancels.emplace_back(now, ev.cancel);
    };
  }

  std::size_t started() {
    std::lock_guard<std::mutex> guard{mtx};
    return started_on.size();
  }

  std::size_t cancelled() {
    std::lock_guard<std::mutex> guard{mtx};
    return cancels.size();
  }
};

} // namespace

std::vector<double> cancel_round_trip(int workers, int trials) {
  cancel_watch seen;
  bench_cluster cluster{
    {"--stagehand.placement=" + std::string{workers == 0 ? "local" : "remote"}},
    seen.observer()};
  for (int i = 1; i <= workers; ++i)
    cluster.start_worker("w" + std::to_string(i));
  auto& rt = cluster.rt();
  auto page = rt.open_page(open_session(rt), "R");
  auto long_task = minute_long_task();
  std::vector<double> round_trips;
  for (int i = 1; i <= trials; ++i) {
    auto what = "long task " + std::to_string(i);
    auto id = rt.enqueue_background_task(page, long_task);
    if (!id)
      throw std::runtime_error("cannot enqueue " + what + ": "
                               + describe(id.error()));
    auto n = static_cast<std::size_t>(i);
    await([&] { return seen.started() == n; }, "the start of " + what,
          trial_limit);
    // `started` comes when the task is placed; by now its codeunit sleeps
    // on its node, so the cancel has a running codeunit to reach.
    std::this_thread::sleep_for(settle_time);
    auto t0 = clock_type::now();
    auto pending = rt.cancel_background_task(page, *id);
    if (!pending || !*pending)
      throw std::runtime_error(
        "cannot cancel " + what + ": "
        + (pending ? std::string{"not pending"} : describe(pending.error())));
    await([&] { return seen.cancelled() == n; },
          "the cancelled event of " + what, trial_limit);
    std::lock_guard<std::mutex> guard{seen.mtx};
    auto [t1, state] = seen.cancels.back();
    if (workers > 0 && seen.started_on.back() == "local")
      throw std::runtime_error(what + " ran locally, not on a worker");
    if (state != cancel_state::acknowledged)
      throw std::runtime_error("the cancel of " + what + " settled "
                               + to_string(state) + ", not acknowledged");
    round_trips.push_back(micros(t1 - t0));
  }
  return round_trips;
}

} // namespace stagehand::bench
