#pragma once

#include <functional>
#include <string>

#include "server/operations/operation_status.hpp"

namespace stagehand {

/// What the notifier needs when an operation reaches a terminal state: the
/// callback payload and the `OnBackgroundOperationComplete` event are both
/// built from it. Output parameters are left out; neither payload has them.
struct operation_completion {
  std::string id;
  std::string name;
  /// `<base>/api/data/v9.2/backgroundoperations(<id>)`.
  std::string location;
  operation_status status = operation_status::succeeded;
  /// Only on failure: empty when the error did not come from the platform.
  std::string error_code;
  std::string error_message;
  /// Empty when the submit asked for no callback.
  std::string callback_url;
};

/// Reports how delivering a completion ended: an empty string when every
/// delivery succeeded, otherwise the final failure, which the operation
/// keeps as its `deliveryfailure`. Call it exactly once, from any thread.
using delivery_finished = std::function<void(const std::string& failure)>;

/// The seam to the notifier: called once per operation that reaches a
/// terminal state (again after a restart if `finished` was not called by
/// then, so delivery is at least once). It must not block; it runs on the
/// scheduler's or a request's thread.
using completion_sink
  = std::function<void(const operation_completion&, delivery_finished)>;

} // namespace stagehand
