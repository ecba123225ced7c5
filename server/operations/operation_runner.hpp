#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "messages/dictionary.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// What the server asks the runtime to run for one attempt of an operation.
struct operation_run {
  codeunit_id codeunit = 0;
  dictionary inputs;
  /// Run-as user id.
  std::string user;
  /// Execution limit, default 2 min.
  caf::timespan limit = std::chrono::minutes(2);
  std::string company = "CRONUS";
};

/// How one attempt ended.
struct operation_result {
  enum class status : std::uint8_t { succeeded, failed, stopped, timed_out };
  status what = status::succeeded;
  /// On success.
  dictionary outputs;
  /// On failure, "" if not from the platform.
  std::string error_code;
  std::string error_message;
};

/// Runs operation attempts; `session_operation_runner` runs each as a
/// background session. An attempt may first wait for a slot, and the
/// operation shows Waiting For Resources until the runner says it started.
class operation_runner {
public:
  virtual ~operation_runner() = default;
  /// Starts an attempt. `started` is called at most once, when the attempt
  /// really begins, and always before `done`; `done` is called exactly once.
  /// An attempt stopped before it began calls only `done`. Both may be called
  /// from any thread, and must be quick.
  /// Fails at once (e.g. the background-session queue is full) with an error.
  virtual caf::expected<std::uint64_t>
  start(operation_run run, std::function<void()> started,
        std::function<void(operation_result)> done) = 0;
  /// Asks an attempt to stop: one still waiting never begins, a running one
  /// is cancelled (used by cancel and by graceful shutdown).
  /// @returns false if it is not waiting nor running.
  virtual bool stop(std::uint64_t attempt, const std::string& comment) = 0;
};

} // namespace stagehand
