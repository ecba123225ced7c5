#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "messages/background_session_manager_actor.hpp"
#include "messages/runtime_front_actor.hpp"
#include "actors/parent_session.hpp"
#include "messages/session_handle.hpp"
#include "services/services.hpp"

namespace stagehand {

/// The embedding API's one actor: a service's actors ask it for sessions and
/// pages and start background sessions through it, by message, from this
/// node or another. It owns the list of open sessions, so that shutdown can
/// close each once, and closes a session whose owner is gone. Every file step
/// (opening a company, writing Logon and Logoff rows) runs on the `session_io`
/// executor, and the actor answers when the step reports back. Background
/// session requests go on to the manager.
struct runtime_front_state {
  static inline const char* name = "stagehand.runtime_front";

  services_ptr svc;
  background_session_manager_actor manager;
  std::map<session_id, session_actors> sessions;
  /// Sessions that close when their owner goes.
  std::map<session_id, caf::actor_addr> owners;
  /// What to do when a job on `session_io` reports back.
  std::map<std::uint64_t, std::function<void(caf::error)>> jobs;
  std::uint64_t next_job = 1;
  /// Closes begun and not finished.
  std::size_t closing = 0;
  bool shutting_down = false;
  /// Set once the manager answered the shutdown, with what it stopped.
  bool manager_stopped = false;
  std::uint64_t stopped = 0;
  std::vector<caf::typed_response_promise<std::uint64_t>> shutdown_waiters;
};

runtime_front_actor::behavior_type
runtime_front(runtime_front_actor::stateful_pointer<runtime_front_state> self,
              services_ptr svc, background_session_manager_actor manager);

} // namespace stagehand
