#pragma once

#include <type_traits>

#include <caf/actor_cast.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/node_id.hpp>

#include "services/services.hpp"

namespace stagehand {

// A typed face limits only what its holder can compile. Anyone who holds a
// handle, in this process or on another node, can `actor_cast` it to
// `caf::actor` and send whatever the actor handles. So each actor checks who
// sent the messages that only the runtime may say, and drops the rest with a
// log line (`refuse`). Jobs on pool threads send as an actor (`send_as`), not
// anonymously: an anonymous message from another node looks the same as one
// from this process.

/// True if the message being handled was sent by `expected`.
template <class Self, class Handle>
bool sent_by(Self* self, const Handle& expected) {
  auto& sender = self->current_sender();
  return sender != nullptr
         && sender == caf::actor_cast<caf::strong_actor_ptr>(expected);
}

/// True if the message being handled was sent by an actor of this process.
template <class Self>
bool sent_from_this_node(Self* self) {
  auto& sender = self->current_sender();
  return sender != nullptr && sender->node() == self->node();
}

/// Logs a message that `receiver` refused because of who sent it.
void log_refused(const services& svc, const char* receiver,
                 const char* message, const caf::strong_actor_ptr& sender);

/// `log_refused` for the message being handled.
template <class Self>
void refuse(Self* self, const services& svc, const char* message) {
  using state = std::remove_reference_t<decltype(self->state)>;
  log_refused(svc, state::name, message, self->current_sender());
}

/// True if `expected` sent the message being handled; refuses and logs it
/// otherwise.
template <class Self, class Handle>
bool accept_from(Self* self, const Handle& expected, const services& svc,
                 const char* message) {
  if (sent_by(self, expected))
    return true;
  refuse(self, svc, message);
  return false;
}

/// True if an actor of this process sent the message being handled; refuses
/// and logs it otherwise.
template <class Self>
bool accept_local(Self* self, const services& svc, const char* message) {
  if (sent_from_this_node(self))
    return true;
  refuse(self, svc, message);
  return false;
}

} // namespace stagehand
