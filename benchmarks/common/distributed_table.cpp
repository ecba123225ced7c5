#include "benchmarks/common/distributed_table.hpp"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>

namespace stagehand::bench {

namespace {

constexpr double none = std::numeric_limits<double>::quiet_NaN();

void progress(const std::string& what) {
  std::cerr << "[bench] distributed: " << what << std::endl;
}

std::string format(double x) {
  if (std::isnan(x))
    return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(std::abs(x) >= 100 ? 0 : 2) << x;
  return out.str();
}

std::string label(int workers, bool tls) {
  return std::to_string(workers) + " worker" + (workers > 1 ? "s" : "")
         + (tls ? ", TLS" : "");
}

double max_of(const std::vector<double>& xs) {
  return xs.empty() ? none : *std::max_element(xs.begin(), xs.end());
}

/// Cancel round trips on one worker; local runs before and after, as for
/// the tasks/s.
void add_cancel_rows(std::vector<local_row>& rows, int trials) {
  progress("cancel round trip x" + std::to_string(trials)
           + ": local, 1 worker, local");
  auto before = cancel_round_trip(0, trials);
  auto placed = cancel_round_trip(1, trials);
  auto after = cancel_round_trip(0, trials);
  for (auto [name, q] : {std::pair{"p50", 0.5}, std::pair{"p99", 0.99}})
    rows.push_back({std::string{"cancel round trip "} + name + ", 1 worker",
                    "us", false, percentile(placed, q),
                    (percentile(before, q) + percentile(after, q)) / 2});
}

/// Queued tasks' memory and drain over two workers, the same way.
void add_queued_rows(std::vector<local_row>& rows, std::size_t sessions) {
  auto queued = std::to_string(sessions * queued_per_session) + " queued";
  progress(queued + " (" + std::to_string(sessions) + " sessions x "
           + std::to_string(queued_per_session) + "): local, 2 workers, local");
  auto before = queued_drain(0, sessions);
  auto placed = queued_drain(2, sessions);
  auto after = queued_drain(0, sessions);
  rows.push_back(
    {queued + ": B/task, 2 workers", "B", false, placed.bytes_per_queued_task,
     (before.bytes_per_queued_task + after.bytes_per_queued_task) / 2});
  rows.push_back({queued + ": tasks/s, 2 workers", "tasks/s", true,
                  placed.tasks_per_second,
                  (before.tasks_per_second + after.tasks_per_second) / 2});
}

} // namespace

std::vector<local_row> run_distributed(const distributed_counts& n) {
  // Placement local runs before and after the placed runs, and the table
  // takes the mean of the two: a shared machine's load drifts over the
  // minute the scenario takes, and this spreads the drift over both sides.
  progress("placement local (before)");
  auto before = distributed_stagehand(0, false, n);
  std::vector<distributed_result> placed;
  for (bool tls : {false, true}) {
    for (int workers : {1, 2}) {
      progress(label(workers, tls));
      placed.push_back(distributed_stagehand(workers, tls, n));
    }
  }
  progress("placement local (after)");
  auto after = distributed_stagehand(0, false, n);
  progress("placement local: " + format(before.tasks_per_second) + " then "
           + format(after.tasks_per_second) + " tasks/s");
  auto local_tps = (before.tasks_per_second + after.tasks_per_second) / 2;
  auto local_p50 = (percentile(before.latencies, 0.5)
                    + percentile(after.latencies, 0.5))
                   / 2;
  std::vector<local_row> rows;
  auto r = placed.begin();
  for (bool tls : {false, true}) {
    for (int workers : {1, 2}) {
      rows.push_back({"tasks/s, " + label(workers, tls), "tasks/s", true,
                      r->tasks_per_second, local_tps});
      rows.push_back({"p50 latency, " + label(workers, tls), "us", false,
                      percentile(r->latencies, 0.5), local_p50});
      ++r;
    }
  }
  add_cancel_rows(rows, n.cancel_trials);
  add_queued_rows(rows, n.queued_sessions);
  for (auto [name, sig] : {std::pair{"KILL", SIGKILL},
                           std::pair{"STOP", SIGSTOP}}) {
    progress(std::string{"SIG"} + name + " x"
             + std::to_string(n.detection_trials));
    auto d = lost_node_detection(sig, n.detection_trials);
    auto what = std::string{name} + " -> ";
    rows.push_back({what + "node lost p50", "ms", false,
                    percentile(d.lost_ms, 0.5), none});
    rows.push_back({what + "node lost max", "ms", false, max_of(d.lost_ms),
                    none});
    rows.push_back({what + "task error max", "ms", false,
                    max_of(d.task_error_ms), none});
  }
  return rows;
}

void print_distributed(std::ostream& out, const std::vector<local_row>& rows) {
  if (rows.empty())
    return;
  out << "\ndistributed: placement remote on `stagehand worker` processes "
         "over loopback, beside placement local in the same run\n"
      << std::left << std::setw(34) << "figure" << std::right << std::setw(13)
      << "distributed" << std::setw(13) << "local" << std::setw(11)
      << "vs local" << "  unit\n";
  for (auto& r : rows) {
    auto ratio = std::isnan(r.value) || std::isnan(r.local) || r.local == 0
                   ? std::string{"-"}
                   : format(r.value / r.local) + "x";
    out << std::left << std::setw(34) << r.metric << std::right
        << std::setw(13) << format(r.value) << std::setw(13) << format(r.local)
        << std::setw(11) << ratio << "  " << r.unit
        << (r.higher_is_better ? " (higher is better)" : "") << '\n';
  }
  out << "(local: the mean of a run before and after the placed ones; a local "
         "task has no node to lose, so the detection rows have none)\n";
}

nlohmann::json to_json(const local_row& r) {
  auto num = [](double x) {
    return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x);
  };
  return {{"scenario", "distributed"},
          {"figure", r.metric},
          {"unit", r.unit},
          {"higher_is_better", r.higher_is_better},
          {"stagehand", num(r.value)},
          {"local", num(r.local)}};
}

} // namespace stagehand::bench
