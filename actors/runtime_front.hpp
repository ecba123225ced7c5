#pragma once

#include <cstdint>
#include <functional>
#include <map>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/background_session_manager_actor.hpp"
#include "messages/runtime_actor.hpp"
#include "messages/session_handle.hpp"
#include "runtime/services.hpp"

namespace stagehand {

/// The embedding API's one actor: a service's actors ask it for sessions and
/// pages and start background sessions through it, by message, from this
/// node or another. It owns the list of open sessions, so that shutdown can
/// close each once, and it keeps every blocking step (opening a company file,
/// writing Logon and Logoff rows) on the blocking executor, answering when
/// the step reports back. Background session requests go on to the manager.
struct runtime_front_state {
  static inline const char* name = "stagehand.runtime_front";

  services_ptr svc;
  background_session_manager_actor manager;
  std::map<session_id, session_handle> sessions;
  /// What to do when a job on the blocking executor reports back.
  std::map<std::uint64_t, std::function<void(caf::error)>> jobs;
  std::uint64_t next_job = 1;
  bool shutting_down = false;
};

runtime_actor::behavior_type
runtime_front(runtime_actor::stateful_pointer<runtime_front_state> self,
              services_ptr svc, background_session_manager_actor manager);

} // namespace stagehand
