#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

#include "messages/start_session.hpp"

namespace stagehand {

/// A `start_session` as the runtime actor passes it on to the background
/// session manager: with the user the new session runs as, and its company,
/// both taken from the calling session. Only actors of the runtime's own
/// process may send it; it is how a caller's identity is decided in one place.
struct launch_session {
  start_session request;
  std::string user;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, launch_session& x) {
  return f(caf::meta::type_name("stagehand::launch_session"), x.request,
           x.user);
}

} // namespace stagehand
