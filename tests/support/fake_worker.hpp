#pragma once
// A local actor in the place of a worker's agent, for the placement tests on
// CAF's test coordinator: it records what the coordinator told it.

#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>

#include "messages/worker_actor.hpp"
#include "services/node_table.hpp"

namespace stagehand::test {

struct fake_worker_state {
  static inline const char* name = "test.fake_worker";
  std::vector<run_remote_task> runs;
  std::vector<cancel_remote_task> cancels;
  std::vector<run_remote_session> sessions;
  std::vector<cancel_remote_session> session_cancels;
};

using fake_worker_ptr = worker_actor::stateful_pointer<fake_worker_state>;

// CAF 0.17 dereferences a null argument tuple when a function actor is
// spawned without arguments, so the fake takes one it does not need.
inline worker_actor::behavior_type fake_worker(fake_worker_ptr self, int) {
  return {
    [self](run_remote_task& msg) {
      self->state.runs.push_back(msg);
    },
    [self](cancel_remote_task& msg) {
      self->state.cancels.push_back(msg);
    },
    [self](run_remote_session& msg) {
      self->state.sessions.push_back(msg);
    },
    [self](cancel_remote_session& msg) {
      self->state.session_cancels.push_back(msg);
    },
    [](goodbye_atom, const std::string&) {},
  };
}

/// What the fake `agent` was told.
inline fake_worker_state& told(const worker_actor& agent) {
  return static_cast<fake_worker_ptr>(
           caf::actor_cast<caf::abstract_actor*>(agent))
    ->state;
}

/// Spawns a fake agent and lists it in `nodes` as the live worker `name`.
inline worker_actor join_fake_worker(caf::actor_system& sys, node_table& nodes,
                                     const std::string& name,
                                     std::size_t capacity,
                                     std::vector<codeunit_id> codeunits) {
  auto agent = sys.spawn(fake_worker, 0);
  node_entry entry;
  entry.name = name;
  entry.agent = agent;
  entry.capacity = capacity;
  entry.codeunits = std::move(codeunits);
  BOOST_REQUIRE(!nodes.add(entry));
  return agent;
}

} // namespace stagehand::test
