#include "server/session_operation_runner.hpp"

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

caf::expected<std::uint64_t>
session_operation_runner::start(operation_run run,
                                std::function<void(operation_result)> done) {
  stagehand::start_session request;
  request.codeunit = run.codeunit;
  request.company = std::move(run.company);
  request.parameters = std::move(run.inputs);
  request.timeout = run.limit;
  request.user = std::move(run.user);
  request.tag = "operation";
  auto id = rt_.start_session(std::move(request));
  if (!id)
    return id.error();
  rt_.on_session_outcome(*id, [done = std::move(done)](
                                caf::expected<session_outcome> outcome) {
    // Without an outcome the runtime is going away: the attempt was stopped.
    done(outcome ? to_operation_result(*outcome)
                 : to_operation_result(
                   session_outcome::stopped(describe(outcome.error()))));
  });
  return *id;
}

bool session_operation_runner::stop(std::uint64_t attempt,
                                    const std::string& comment) {
  auto stopped = rt_.stop_session(attempt, comment);
  return stopped && *stopped;
}

} // namespace stagehand
