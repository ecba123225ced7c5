#pragma once

#include "runtime/runtime.hpp"
#include "server/operations/operation_runner.hpp"

namespace stagehand {

/// Runs each attempt of a background operation as a background session, so
/// that operations share the server's BackgroundSessionsMaxConcurrent and
/// MaximumSessionRecursionDepth with every other background work, run as
/// their caller's user, and leave Session Event rows like any session. The
/// attempt id is the session id; it starts when its session launches, which
/// may wait for a free BackgroundSessionsMaxConcurrent slot.
class session_operation_runner : public operation_runner {
public:
  /// `rt` must outlive the runner and every attempt it starts.
  explicit session_operation_runner(runtime& rt) : rt_(rt) {}

  caf::expected<std::uint64_t>
  start(operation_run run, std::function<void()> started,
        std::function<void(operation_result)> done) override;

  bool stop(std::uint64_t attempt, const std::string& comment) override;

private:
  runtime& rt_;
};

/// How a background session's outcome reads as an operation attempt's.
operation_result to_operation_result(const session_outcome& outcome);

} // namespace stagehand
