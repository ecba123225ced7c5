#pragma once

#include <string>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"

namespace stagehand {

/// A worker node's agent as its coordinator sees it: the one actor of a
/// worker that the coordinator talks to. For now it only hears `goodbye`
/// (the coordinator shuts down or lets the worker go, with the reason), on
/// which the worker ends; task placement comes next. A face of its own, so
/// that the coordinator holds no more of the worker than it may use.
using worker_actor
  = caf::typed_actor<caf::reacts_to<goodbye_atom, std::string>>;

} // namespace stagehand
