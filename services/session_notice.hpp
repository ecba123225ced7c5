#pragma once

#include <functional>
#include <string>

#include "messages/ids.hpp"
#include "messages/session_outcome.hpp"

namespace spdlog {
class logger;
} // namespace spdlog

namespace stagehand {

/// One step in a background session's life that an observer may want to see:
/// the scenario player prints them and the admin page lists them.
/// Subscribing to one session's outcome is what callers that started it use
/// instead.
struct session_notice {
  /// `queued` comes only for a session that waits for a slot; each session
  /// then has one `started` (unless it is stopped while queued) and one
  /// `ended`.
  enum class kind { queued, started, ended, message };

  kind what = kind::started;
  session_id session = 0;
  /// The label given to `start_session`.
  std::string tag;
  /// ended: how.
  session_outcome outcome;
  /// message: what the codeunit's `Message` said.
  std::string text;
  /// Except for messages: what runs, for whom, on which company.
  codeunit_id codeunit = 0;
  std::string user;
  std::string company;
};

/// Called on the manager's actor or a codeunit's worker thread; it must be
/// thread-safe and quick.
using session_observer = std::function<void(const session_notice&)>;

/// Shows `notice` to `observer`, if there is one. The observer is the
/// embedder's code: what it throws is logged to `log`, not passed on, since
/// it would end the actor that called it.
void tell(const session_observer& observer, const session_notice& notice,
          spdlog::logger& log);

} // namespace stagehand
