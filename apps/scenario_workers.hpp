#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "runtime/runtime.hpp"

namespace stagehand::apps {

/// The workers a `play` scenario starts. `play` drives a cluster the way it
/// drives pages: `start_worker` makes the player a coordinator on a free
/// loopback port (at the first one) and runs `stagehand worker` as a child
/// process; `kill_worker` signals one. It prints `worker_joined` once a node
/// is live, `worker_killed`, and `worker_lost` when the runtime loses it.
/// Every worker it started ends with it, stopped ones included.
class scenario_workers {
public:
  using printer = std::function<void(nlohmann::json)>;

  /// `data_dir` is the player's: on one host, workers share its company
  /// files (SQLite's WAL works across processes).
  scenario_workers(runtime& rt, std::string data_dir, printer print);

  /// Ends every worker: SIGCONT and SIGTERM, then SIGKILL for one that has
  /// not ended within two seconds.
  ~scenario_workers();

  /// `start_worker {node, capacity?}`.
  void start(const nlohmann::json& cmd);

  /// `kill_worker {node, signal}` with signal KILL, STOP or TERM.
  void kill(const nlohmann::json& cmd);

  /// Stops watching and prints what it has not yet reported; the player
  /// calls it before its summary, which must be the last line.
  void finish();

private:
  /// Prints `worker_lost` once for each started node the runtime lost and
  /// no line has reported yet.
  void report_lost();

  /// Calls `report_lost` every few milliseconds until the destructor.
  void watch();

  runtime& rt_;
  std::string data_dir_;
  printer print_;
  std::uint16_t port_ = 0;
  std::mutex mtx_;
  /// The live child processes by node name, and the nodes that joined.
  std::map<std::string, pid_t> pids_;
  std::set<std::string> joined_;
  std::set<std::string> lost_;
  std::atomic<bool> stopping_{false};
  std::thread watcher_;
};

} // namespace stagehand::apps
