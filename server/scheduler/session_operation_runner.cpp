#include "server/scheduler/session_operation_runner.hpp"

#include <mutex>
#include <optional>

#include "core/errc.hpp"

namespace stagehand {

operation_result to_operation_result(const session_outcome& outcome) {
  using status = operation_result::status;
  operation_result result;
  switch (outcome.what) {
  case session_outcome::kind::completed:
    result.outputs = outcome.results;
    return result;
  case session_outcome::kind::failed:
    result.what = status::failed;
    result.error_code = outcome.error.code;
    result.error_message = outcome.error.text;
    return result;
  case session_outcome::kind::stopped:
    result.what = status::stopped;
    break;
  case session_outcome::kind::timed_out:
    result.what = status::timed_out;
    result.error_code = session_timeout_error_code;
    break;
  }
  result.error_message = outcome.comment;
  return result;
}

namespace {

/// The launch and the outcome of one attempt's session arrive on two actors'
/// threads; this passes them on in the manager's order, launch first.
struct attempt_signals {
  std::mutex mtx;
  bool launch_known = false;
  std::optional<operation_result> early_result;
  std::function<void()> started;
  std::function<void(operation_result)> done;

  void launched(bool yes) {
    std::lock_guard<std::mutex> guard{mtx};
    if (yes)
      started();
    launch_known = true;
    if (early_result)
      done(std::move(*early_result));
  }

  void ended(operation_result result) {
    std::lock_guard<std::mutex> guard{mtx};
    if (launch_known)
      done(std::move(result));
    else
      early_result = std::move(result);
  }
};

// A subscription that ran out of time (`stagehand.runtime-wait-timeout`)
// asks again: the session is still queued or running and ends by its own
// timeout, and taking it for stopped would run the operation twice.

void watch_launch(runtime& rt, session_id id,
                  std::shared_ptr<attempt_signals> signals) {
  rt.on_session_started(id, [&rt, id, signals](caf::expected<bool> launched) {
    if (!launched && is(launched.error(), errc::no_answer))
      return watch_launch(rt, id, signals);
    // Without an answer the runtime is going away: it did not launch.
    signals->launched(launched && *launched);
  });
}

void watch_outcome(runtime& rt, session_id id,
                   std::shared_ptr<attempt_signals> signals) {
  rt.on_session_outcome(id, [&rt, id, signals](
                               caf::expected<session_outcome> outcome) {
    if (!outcome && is(outcome.error(), errc::no_answer))
      return watch_outcome(rt, id, signals);
    // Without an outcome the runtime is going away: the attempt was stopped.
    signals->ended(outcome ? to_operation_result(*outcome)
                           : to_operation_result(session_outcome::stopped(
                             describe(outcome.error()))));
  });
}

} // namespace

caf::expected<std::uint64_t>
session_operation_runner::start(operation_run run,
                                std::function<void()> started,
                                std::function<void(operation_result)> done) {
  stagehand::start_session request;
  request.codeunit = run.codeunit;
  request.company = std::move(run.company);
  request.parameters = std::move(run.inputs);
  request.timeout = run.limit;
  request.tag = "operation";
  // No session calls: the operation runs as the user who submitted it.
  auto id = rt_.start_session_as(std::move(run.user), std::move(request));
  if (!id)
    return id.error();
  auto signals = std::make_shared<attempt_signals>();
  signals->started = std::move(started);
  signals->done = std::move(done);
  watch_launch(rt_, *id, signals);
  watch_outcome(rt_, *id, signals);
  return *id;
}

bool session_operation_runner::stop(std::uint64_t attempt,
                                    const std::string& comment) {
  auto stopped = rt_.stop_session(attempt, comment);
  return stopped && *stopped;
}

} // namespace stagehand
