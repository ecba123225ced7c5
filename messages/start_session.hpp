#pragma once

#include <string>

#include <caf/meta/type_name.hpp>
#include <caf/timespan.hpp>

#include "messages/dictionary.hpp"
#include "messages/ids.hpp"
#include "messages/session_subscriber_actor.hpp"

namespace stagehand {

/// `StartSession(SessionId, CodeunitId, Company, Record, Timeout)`, asked of
/// the background session manager, which answers with the new session's id.
/// `caller` is the session that asks (0 from outside any session), so that
/// chains of sessions starting sessions can be bounded.
struct start_session {
  codeunit_id codeunit = 0;
  /// Empty: the caller's company, or CRONUS from outside any session.
  std::string company;
  /// The record the codeunit runs on, as a record id; may be empty.
  std::string record_id;
  dictionary parameters;
  /// Zero: BackgroundSessionsDefaultTimeout.
  caf::timespan timeout{0};
  /// The user the session runs as: the caller's; empty from outside any
  /// session means ADMIN.
  std::string user;
  session_id caller = 0;
  /// Caller-chosen label carried into events and logs.
  std::string tag;
  /// Hears the session's outcome as a `session_ended` message; may be null.
  session_subscriber_actor subscriber;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, start_session& x) {
  return f(caf::meta::type_name("stagehand::start_session"), x.codeunit,
           x.company, x.record_id, x.parameters, x.timeout, x.user, x.caller,
           x.tag, x.subscriber);
}

} // namespace stagehand
