#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <caf/meta/type_name.hpp>
#include <caf/timespan.hpp>

#include "messages/dictionary.hpp"
#include "messages/task_error.hpp"

namespace stagehand {

/// How a background session ended: the one outcome each session reaches,
/// which the platform's StartSession never tells its caller and ours does.
struct session_outcome {
  enum class kind : std::uint8_t { completed, failed, stopped, timed_out };

  kind what = kind::completed;
  /// completed: what the codeunit set as its result.
  dictionary results;
  /// failed: the error that ended the session.
  task_error error;
  /// stopped and timed_out: why; failed: the error text. This is what the
  /// session event's Comment stores.
  std::string comment;

  static session_outcome completed(dictionary results) {
    return {kind::completed, std::move(results), {}, {}};
  }

  static session_outcome failed(task_error error) {
    auto text = error.text;
    return {kind::failed, {}, std::move(error), std::move(text)};
  }

  static session_outcome stopped(std::string comment) {
    return {kind::stopped, {}, {}, std::move(comment)};
  }

  /// With the comment that its Stop event records: `The session timed out
  /// after <ms> ms.`
  static session_outcome timed_out(caf::timespan timeout);
};

/// "completed", "failed", "stopped" or "timed_out", as `stagehand play`
/// prints them.
std::string to_string(session_outcome::kind x);

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_outcome& x) {
  return f(caf::meta::type_name("stagehand::session_outcome"), x.what,
           x.results, x.error, x.comment);
}

} // namespace stagehand
