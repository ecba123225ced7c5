#pragma once

#include <string>

#include <caf/expected.hpp>

#include "messages/background_task.hpp"
#include "messages/ids.hpp"
#include "messages/start_session.hpp"
#include "messages/stop_session.hpp"

namespace stagehand {

/// What a running codeunit may ask of the server beyond its own session:
/// StartSession, StopSession and IsSessionActive, and a place for the
/// messages it shows. Calls block the codeunit's worker thread until the
/// server answers, which is fine there and never on an actor's thread.
class session_host {
public:
  virtual ~session_host() = default;

  /// A `Message` from a session without UI: suppressed, logged as
  /// Information.
  virtual void message(const background_task& session,
                       const std::string& text)
    = 0;

  virtual caf::expected<session_id> start_session(stagehand::start_session req)
    = 0;

  virtual caf::expected<bool> stop_session(stagehand::stop_session req) = 0;

  virtual bool is_session_active(session_id id) = 0;
};

} // namespace stagehand
