#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

namespace stagehand {

/// What `OnPageBackgroundTaskError` receives: the code decides how a page
/// reacts, the text is what the user reads, the call stack is for support.
struct task_error {
  std::string code;
  std::string text;
  std::string call_stack;

  /// The error a task gets when its timeout expires (SPEC.md §1).
  static task_error timeout();

  /// The error a task gets when the worker node that ran it was lost.
  static task_error node_lost(const std::string& node);
};

/// Code of errors raised by codeunits, as `Error()` raises them in AL.
inline constexpr const char* codeunit_error_code = "Dialog";

/// Code of the timeout error.
inline constexpr const char* timeout_error_code = "ChildSessionTaskTimeout";

/// Code of the error of a task whose worker node was lost.
inline constexpr const char* node_lost_error_code = "ChildSessionNodeLost";

/// Code of the error a background session that timed out reports where an
/// error code is wanted (a background operation's attempt).
inline constexpr const char* session_timeout_error_code
  = "BackgroundSessionTimeout";

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_error& x) {
  return f(caf::meta::type_name("stagehand::task_error"), x.code, x.text,
           x.call_stack);
}

} // namespace stagehand
