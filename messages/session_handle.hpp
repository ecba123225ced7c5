#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/client_type.hpp"
#include "messages/default_identity.hpp"
#include "messages/ids.hpp"
#include "messages/parent_session_actor.hpp"

namespace stagehand {

/// A parent (client) session as the embedding code holds it: what
/// `runtime::open_session` returns and the runtime actor replies with. It
/// names the session; the actors that run its tasks stay with the runtime.
struct session_handle {
  session_id id = 0;
  client_type client = client_type::web_client;
  parent_session_actor actor;
  /// The company its pages' child sessions read (see `company_directory`).
  std::string company = default_company;
  /// Whom the session, its child sessions and the background sessions it
  /// starts run as.
  std::string user = default_user;
  /// The Session Unique ID of its Active Session row and events.
  std::string unique_id;
  /// Whether its Logon event was recorded, and so its Logoff must be.
  bool records_events = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_handle& x) {
  return f(caf::meta::type_name("stagehand::session_handle"), x.id, x.client,
           x.actor, x.company, x.user, x.unique_id,
           x.records_events);
}

} // namespace stagehand
