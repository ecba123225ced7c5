// Many queued tasks: per session, 5 hour-long "gate" tasks hold the running
// slots, then 100 empty tasks queue behind them (the default limits of 5
// running and 100 queued per parent session). The coordinator's RSS growth
// from the gates alone to gates plus queue is what the queued tasks cost it
// (they wait in its supervisors whatever the placement, as in
// benchmarks/queue_memory). Then every gate is cancelled and the clock runs
// until the last empty task has completed, locally or on the workers.
#include <atomic>
#include <stdexcept>

#include "benchmarks/common/await.hpp"
#include "benchmarks/common/bench_cluster.hpp"
#include "benchmarks/common/placement_counts.hpp"
#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

namespace {

/// The running slots per session (the default limit) the gates take.
constexpr int gates_per_session = 5;

/// Far above enqueueing or draining the largest run of the suite; past it
/// the run fails instead of hanging.
constexpr auto run_limit = std::chrono::seconds(120);

/// `placement_counts`, and the completions the clock waits for.
struct drain_counts : placement_counts {
  explicit drain_counts(std::int64_t queued) : drained(queued) {}

  latch drained;

  page_observer observer() {
    return [this](const page_event& ev) {
      count(ev);
      if (ev.what == page_event::kind::completed)
        drained.count_down();
    };
  }
};

/// Enqueues `task` on `page`; throws naming `what` if it is refused.
task_id enqueue(runtime& rt, const page_handle& page, const enqueue_task& task,
                const char* what) {
  auto id = rt.enqueue_background_task(page, task);
  if (!id)
    throw std::runtime_error(std::string{"cannot enqueue "} + what + ": "
                             + describe(id.error()));
  return *id;
}

} // namespace

queued_result queued_drain(int workers, std::size_t sessions) {
  auto queued = static_cast<std::int64_t>(sessions) * queued_per_session;
  drain_counts counts{queued};
  bench_cluster cluster{
    {"--stagehand.placement=" + std::string{workers == 0 ? "local" : "remote"}},
    counts.observer()};
  for (int i = 1; i <= workers; ++i)
    cluster.start_worker("w" + std::to_string(i));
  auto& rt = cluster.rt();
  enqueue_task gate{samples::wait_codeunit,
                    {{"Wait", "3600000"}},
                    caf::none,
                    error_level::error,
                    ""};
  enqueue_task empty{
    samples::empty_codeunit, {}, caf::none, error_level::error, ""};

  std::vector<page_handle> pages;
  std::vector<std::pair<page_handle, task_id>> gates;
  for (std::size_t i = 0; i < sessions; ++i) {
    auto& page = pages.emplace_back(rt.open_page(open_session(rt), "R"));
    for (int g = 0; g < gates_per_session; ++g)
      gates.emplace_back(page, enqueue(rt, page, gate, "a gate task"));
  }
  await([&] { return rt.stats().active_child_sessions == gates.size(); },
        "every gate task's start", run_limit);
  auto before = rss_bytes();
  for (auto& page : pages)
    for (int q = 0; q < queued_per_session; ++q)
      enqueue(rt, page, empty, "an empty task");
  auto target = static_cast<std::uint64_t>(queued);
  await([&] { return rt.stats().queued_tasks == target; },
        "the queueing of every empty task", run_limit);
  auto after = rss_bytes();

  auto start = clock_type::now();
  for (auto& [page, id] : gates) {
    auto pending = rt.cancel_background_task(page, id);
    if (!pending || !*pending)
      throw std::runtime_error(
        "cannot cancel a gate task: "
        + (pending ? std::string{"not pending"} : describe(pending.error())));
  }
  if (!counts.drained.wait_for(run_limit))
    throw std::runtime_error("the queued tasks did not drain within "
                             + std::to_string(run_limit.count()) + " s");
  auto seconds = micros(clock_type::now() - start) / 1e6;
  counts.check(workers);
  return {(static_cast<double>(after) - before) / queued,
          static_cast<double>(queued) / seconds};
}

} // namespace stagehand::bench
