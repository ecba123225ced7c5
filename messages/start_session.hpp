#pragma once

#include <string>

#include <caf/meta/type_name.hpp>
#include <caf/timespan.hpp>

#include "messages/dictionary.hpp"
#include "messages/ids.hpp"
#include "messages/session_subscriber_actor.hpp"

namespace stagehand {

/// `StartSession(SessionId, CodeunitId, Company, Record, Timeout)`, asked of
/// the runtime, which answers with the new session's id. It names the session
/// that asks (`caller`, 0 from outside any session), and the runtime takes the
/// rest from that session: the new session runs as its user, in its company
/// unless `company` names another, and counts in its chain of sessions. From
/// outside any session it runs as ADMIN, in CRONUS unless `company` says.
struct start_session {
  codeunit_id codeunit = 0;
  /// Empty: the caller's company, or CRONUS from outside any session.
  std::string company;
  /// The record the codeunit runs on, as a record id; may be empty.
  std::string record_id;
  dictionary parameters;
  /// Zero: BackgroundSessionsDefaultTimeout, or `budget` if that is shorter.
  caf::timespan timeout{0};
  /// What is left of the calling session's own timeout, which a session
  /// without a timeout of its own must not outlive; zero: no such limit.
  caf::timespan budget{0};
  session_id caller = 0;
  /// Caller-chosen label carried into events and logs.
  std::string tag;
  /// Hears the session's outcome as a `session_ended` message; may be null.
  session_subscriber_actor subscriber;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, start_session& x) {
  return f(caf::meta::type_name("stagehand::start_session"), x.codeunit,
           x.company, x.record_id, x.parameters, x.timeout, x.budget, x.caller,
           x.tag, x.subscriber);
}

} // namespace stagehand
