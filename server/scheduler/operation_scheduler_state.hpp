#pragma once

// What the scheduler's two files share: the state its thread shares with
// the runner's threads, and its fixed pauses and texts. Private to
// server/operation_scheduler*.cpp.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server/scheduler/operation_scheduler.hpp"

namespace stagehand::scheduling {

/// How long the scheduler pauses starting attempts after the runner refused
/// one (its queue is full), unless an attempt ends first.
inline constexpr std::int64_t saturation_pause_ms = 250;

/// How long shutdown waits for stopped attempts to report before it marks
/// them for retry itself (a codeunit may ignore cancellation).
inline constexpr auto stop_wait = std::chrono::seconds(5);

/// Most operations one claim takes: enough that a backlog costs one commit
/// per batch, few enough that a start in flight delays shutdown little.
inline constexpr std::size_t claim_batch = 64;

/// After a failure of the database itself, the next try.
inline constexpr std::int64_t error_pause_ms = 1000;

inline constexpr const char* interrupted_text
  = "The server stopped while the operation ran.";

inline constexpr const char* shutdown_text = "The server is shutting down.";

inline constexpr const char* canceled_text = "The operation was canceled.";

/// Why an attempt that an administrator's cancel stopped ended; the stop
/// carries it as its comment, so the ending can tell it from a shutdown.
inline constexpr const char* stopped_by_cancel_text
  = "An administrator canceled the operation while it ran.";

} // namespace stagehand::scheduling

namespace stagehand {

struct operation_scheduler::shared_state {
  /// An attempt the runner accepted and has not ended.
  struct attempt {
    std::uint64_t id = 0;
    /// False while it waits for a background-session slot.
    bool started = false;
  };

  std::mutex mtx;
  std::condition_variable cv;
  /// Operations whose attempt began, in the runner's order; each comes
  /// before that attempt's entry in `results`.
  std::vector<std::string> started;
  std::vector<std::pair<std::string, operation_result>> results;
  /// Operation id → attempt, for every attempt the runner has not ended.
  std::map<std::string, attempt> running;
  /// Claims whose attempts are between the claim and the runner's answer.
  std::size_t starting = 0;
  /// Operations canceled while a start was in flight: if one of them is
  /// that start's, its attempt is stopped at once (see `start_in_flight`).
  std::set<std::string> canceled_while_starting;
  bool woken = false;
  bool draining = false;
  bool stopping = false;
};

/// Counts the starts of one claim as in flight, from before the claim until
/// the runner answered the last, so that shutdown waits for them; the count
/// ends however the starts end, an exception included.
class operation_scheduler::start_in_flight {
public:
  explicit start_in_flight(shared_state& st) : st_(st) {
    std::lock_guard<std::mutex> guard{st_.mtx};
    counted_ = !st_.draining;
    if (counted_)
      ++st_.starting;
  }

  start_in_flight(const start_in_flight&) = delete;
  start_in_flight& operator=(const start_in_flight&) = delete;

  ~start_in_flight() {
    if (!counted_)
      return;
    std::lock_guard<std::mutex> guard{st_.mtx};
    if (--st_.starting == 0)
      st_.canceled_while_starting.clear();
    st_.cv.notify_all();
  }

  /// False if shutdown began: nothing may start.
  explicit operator bool() const noexcept {
    return counted_;
  }

  /// Whether shutdown began since: the rest of the claim may not start.
  bool draining() const {
    std::lock_guard<std::mutex> guard{st_.mtx};
    return st_.draining;
  }

  /// Registers `attempt` of `id` as running.
  /// @returns false if a cancel ended the operation meanwhile: the caller
  ///          stops the attempt, which then ends like any other.
  bool add(const std::string& id, std::uint64_t attempt) {
    std::lock_guard<std::mutex> guard{st_.mtx};
    st_.running.emplace(id, shared_state::attempt{attempt, false});
    return st_.canceled_while_starting.count(id) == 0;
  }

private:
  shared_state& st_;
  bool counted_ = false;
};

} // namespace stagehand
