#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <caf/timespan.hpp>
#include <spdlog/logger.h>

#include "server/operations/operation_settings.hpp"
#include "server/operations/operation_completion.hpp"
#include "server/operations/operation_counters.hpp"
#include "server/operations/operation_registry.hpp"
#include "server/operations/operation_runner.hpp"
#include "server/operations/operation_store.hpp"
#include "server/operations/retry_policy.hpp"

namespace stagehand {

/// Drives stored operations through SPEC.md §3's state machine: it starts
/// Ready operations that are due on the runner, turns each attempt's end
/// into Succeeded, a retry with backoff, Failed or Canceled, recovers what a
/// crash interrupted, purges expired records in small batches, and reports
/// every terminal operation once to the completion sink.
///
/// One thread of its own makes every decision, so the state machine needs no
/// locks beyond the store's; attempts end on the runner's threads and only
/// queue their results for it. Requests (submit, cancel, sync waits) come
/// from the HTTP threads.
class operation_scheduler {
public:
  /// Receives an operation's record once it is terminal, or its current
  /// record if the server shuts down first.
  using waiter = std::function<void(const operation_record&)>;

  operation_scheduler(const operation_settings& settings,
                      std::shared_ptr<operation_store> store,
                      const operation_registry& registry,
                      operation_runner& runner,
                      std::shared_ptr<spdlog::logger> log);

  operation_scheduler(const operation_scheduler&) = delete;
  operation_scheduler& operator=(const operation_scheduler&) = delete;

  /// Shuts down without a grace period if `shutdown` was not called.
  ~operation_scheduler();

  /// Where completions go; set before `start`. Without one, completions
  /// count as delivered at once.
  void set_completion_sink(completion_sink sink);

  /// Recovers operations a crash left In Progress (retried and counted, or
  /// Canceled if a cancel was requested), reports completions that were not
  /// delivered, then starts scheduling.
  /// @param location_base the server's base URL, for `location` fields.
  void start(std::string location_base);

  /// A new Ready operation was committed.
  void wake();

  /// `n` new operations were committed: counts them, then wakes.
  void submitted(std::uint64_t n);

  /// Submits and endings since the server started.
  const operation_counters& counters() const noexcept {
    return counters_;
  }

  /// SPEC.md §3 cancel, for `run_as`'s operations or, unset, anyone's. An
  /// operation canceled before it ran is reported complete at once, and an
  /// attempt of it waiting for a session slot is stopped, so it never runs.
  /// A running one is left to finish, as the platform does, unless
  /// `stop_running` (the admin page's cancel): then its session is stopped
  /// and it ends Canceled.
  operation_store::cancel_outcome
  cancel(const std::string& id, const std::optional<std::string>& run_as,
         bool stop_running = false);

  /// Calls `fn` once the operation is terminal (at once if it already is, or
  /// if shutdown has begun, with the record as it stands).
  void await(const std::string& id, waiter fn);

  /// `<base>/api/data/v9.2/backgroundoperations(<id>)`, the entity key.
  std::string location_of(const std::string& id) const;

  /// The base URL given to `start`.
  const std::string& base_url() const noexcept {
    return location_base_;
  }

  /// Graceful shutdown: starts nothing new, lets running attempts finish for
  /// up to `grace`, then stops the rest and marks them for retry, answers
  /// waiters with the current record and checkpoints the database.
  void shutdown(caf::timespan grace);

private:
  /// What the runner's threads share with the scheduler thread; held by
  /// every `done` callback, so a late one never touches a destroyed object.
  struct shared_state;

  class start_in_flight;

  void run();

  void dispatch(std::int64_t now);

  /// When the next Ready operation is due, without asking the database on
  /// every turn: submits are due at once and wake the scheduler, and retries
  /// are due when it set them, so only a due time that passed (of a row an
  /// earlier run left) asks it again.
  std::optional<std::int64_t> next_due(std::int64_t now);

  /// Hands `claimed[first..]` back to the store in one write.
  void release_from(const std::vector<operation_record>& claimed,
                    std::size_t first, std::int64_t now);

  /// Hands a claimed operation to the runner.
  /// @returns the attempt, or none if it was refused or cannot run.
  std::optional<std::uint64_t> start_attempt(const operation_record& rec,
                                             std::int64_t now);

  /// Applies what one turn heard: attempts that began are In Progress and
  /// those that succeeded Succeeded, in one write; other endings follow.
  void settle(std::vector<std::string> started,
              std::vector<std::pair<std::string, operation_result>> results);

  /// An attempt that did not succeed ended at `now`.
  void fail(const std::string& id, operation_result result, std::int64_t now);

  /// Applies `operation_store::end_attempt`, reporting what became terminal.
  void end_attempt(const std::string& id, attempt_end::cause why,
                   std::string error_code, std::string error_message,
                   std::int64_t now);

  /// Logs, counts and answers the waiters of an operation that just became
  /// terminal, then reports it.
  void complete(const operation_record& rec);

  /// Hands a terminal operation to the completion sink, unless it was
  /// already notified.
  void report(const operation_record& rec);

  void answer_waiters(const std::string& id, const operation_record& rec);

  const operation_settings& settings_;
  std::shared_ptr<operation_store> store_;
  const operation_registry& registry_;
  operation_runner& runner_;
  std::shared_ptr<spdlog::logger> log_;
  retry_policy retry_;
  completion_sink sink_;
  std::string location_base_;
  std::shared_ptr<shared_state> state_;
  operation_counters counters_;
  /// Only the scheduler thread touches it: the runner refused an attempt,
  /// so it waits for a result or a short pause before trying again.
  std::optional<std::int64_t> saturated_until_;
  /// Only the scheduler thread touches it: the due times of Ready rows that
  /// are not due yet, as far as it knows (see `next_due`).
  std::multiset<std::int64_t> due_;
  std::mutex waiters_mtx_;
  std::multimap<std::string, waiter> waiters_;
  /// Set when shutdown begins: new waiters are answered at once.
  bool closing_ = false;
  std::thread thread_;
  bool shut_down_ = false;
};

} // namespace stagehand
