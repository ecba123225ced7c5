#pragma once

#include <string>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/cancel_remote_session.hpp"
#include "messages/cancel_remote_task.hpp"
#include "messages/run_remote_session.hpp"
#include "messages/run_remote_task.hpp"

namespace stagehand {

/// A worker node's agent as its coordinator sees it: the one actor of a
/// worker that the coordinator talks to. It runs the page tasks that the
/// coordinator's supervisors and the background sessions that its manager
/// place on it, cancels them, and hears `goodbye`
/// (the coordinator shuts down or lets the worker go, with the reason), on
/// which the worker ends. It takes these only from the coordinator it
/// joined.
using worker_actor = caf::typed_actor<
  caf::reacts_to<run_remote_task>, caf::reacts_to<cancel_remote_task>,
  caf::reacts_to<run_remote_session>, caf::reacts_to<cancel_remote_session>,
  caf::reacts_to<goodbye_atom, std::string>>;

} // namespace stagehand
