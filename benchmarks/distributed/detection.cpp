// How soon a coordinator sees a worker lost: per trial, a fresh worker runs a
// long task, gets SIGKILL (a crash: its kernel closes the connection) or
// SIGSTOP (a frozen node: only the heartbeat timeout tells), and the clock
// runs from the signal to the node table's `live == false` and to the task's
// error event.
#include <csignal>
#include <mutex>
#include <stdexcept>

#include "benchmarks/common/await.hpp"
#include "benchmarks/common/bench_cluster.hpp"
#include "benchmarks/common/placement_counts.hpp"
#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

namespace {

/// Far above the heartbeat timeout (600 ms) plus its interval (100 ms).
constexpr auto detect_limit = std::chrono::seconds(10);

/// Where the trial's task started and when its error came.
struct task_watch {
  std::mutex mtx;
  std::vector<std::string> started_on;
  std::vector<clock_type::time_point> errors;

  page_observer observer() {
    return [this](const page_event& ev) {
      std::lock_guard<std::mutex> guard{mtx};
      if (ev.what == page_event::kind::started)
        started_on.push_back(ev.node);
      else if (ev.what == page_event::kind::error)
        errors.push_back(clock_type::now());
    };
  }
};

double ms_since(clock_type::time_point t0, clock_type::time_point t) {
  return micros(t - t0) / 1e3;
}

} // namespace

detection_result lost_node_detection(int sig, int trials) {
  task_watch seen;
  bench_cluster cluster{{"--stagehand.placement=remote"}, seen.observer()};
  auto& rt = cluster.rt();
  auto page = rt.open_page(open_session(rt), "R");
  auto long_task = minute_long_task();
  detection_result result;
  auto prefix = std::string{sig == SIGKILL ? "kill-" : "stop-"};
  for (int i = 0; i < trials; ++i) {
    auto name = prefix + std::to_string(i);
    auto& w = cluster.start_worker(name);
    if (!rt.enqueue_background_task(page, long_task))
      throw std::runtime_error("cannot enqueue the long task on " + name);
    await(
      [&] {
        std::lock_guard<std::mutex> guard{seen.mtx};
        return seen.started_on.size() == static_cast<std::size_t>(i) + 1;
      },
      "the long task's start on " + name, detect_limit);
    auto t0 = clock_type::now();
    w.signal(sig);
    await([&] { return !cluster.is_live(name); }, name + " seen lost",
          detect_limit);
    result.lost_ms.push_back(ms_since(t0, clock_type::now()));
    await(
      [&] {
        std::lock_guard<std::mutex> guard{seen.mtx};
        return seen.errors.size() == static_cast<std::size_t>(i) + 1;
      },
      "the error of the task on " + name, detect_limit);
    {
      std::lock_guard<std::mutex> guard{seen.mtx};
      if (seen.started_on.back() != name)
        throw std::runtime_error("the long task ran on "
                                 + seen.started_on.back() + ", not " + name);
      result.task_error_ms.push_back(ms_since(t0, seen.errors.back()));
    }
    cluster.drop_worker(w);
  }
  return result;
}

} // namespace stagehand::bench
