#pragma once

#include <cstdint>

#include <caf/replies_to.hpp>

#include "messages/atoms.hpp"
#include "messages/blocking_done.hpp"
#include "messages/runtime_actor.hpp"

namespace stagehand {

/// The runtime actor as its owner, the `runtime`, holds it: the public face
/// plus what only the owner and the actor's own jobs may send. `shutdown_atom`
/// stops every background session and closes every session, answering with
/// how many background sessions it stopped; then the actor quits.
/// `blocking_done` is its jobs reporting back.
using runtime_front_actor
  = runtime_actor::extend<caf::replies_to<shutdown_atom>::with<std::uint64_t>,
                          caf::reacts_to<blocking_done>>;

} // namespace stagehand
