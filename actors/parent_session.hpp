#pragma once

#include <map>
#include <string>

#include <caf/response_promise.hpp>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/client_type.hpp"
#include "messages/ids.hpp"
#include "messages/page_actor.hpp"
#include "messages/parent_session_actor.hpp"
#include "messages/session_handle.hpp"
#include "messages/session_supervisor_actor.hpp"
#include "services/services.hpp"

namespace stagehand {

/// A client session. It owns its pages and its session supervisor: closing
/// the session closes every page (cancelling their tasks with reason
/// `session_closed`) and then stops the supervisor. The reply to
/// `close_session` arrives once all of that has happened.
struct parent_session_state {
  static inline const char* name = "stagehand.parent_session";

  session_id id = 0;
  client_type client = client_type::web_client;
  session_supervisor_actor supervisor;
  std::map<page_id, page_actor> pages;
  bool closing = false;
  caf::response_promise close_reply;
  services_ptr svc;
};

parent_session_actor::behavior_type parent_session(
  parent_session_actor::stateful_pointer<parent_session_state> self,
  session_id id, client_type client, session_supervisor_actor supervisor,
  services_ptr svc);

/// What `spawn_session` makes: the handle that the session's owner gets, and
/// its supervisor, which only the runtime holds, to hand to the session's
/// pages.
struct session_actors {
  session_handle handle;
  session_supervisor_actor supervisor;
};

/// Spawns a parent session and its supervisor.
session_actors spawn_session(caf::actor_system& sys, const services_ptr& svc,
                             session_id id, client_type client);

} // namespace stagehand
