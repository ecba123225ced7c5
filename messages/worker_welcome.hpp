#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>

namespace stagehand {

/// The coordinator's answer to a `worker_join` it accepted: the worker is in
/// its node table and live from now on.
struct worker_welcome {
  /// The coordinator's node name, for the worker's logs and messages.
  std::string coordinator;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, worker_welcome& x) {
  return f(caf::meta::type_name("stagehand::worker_welcome"), x.coordinator);
}

} // namespace stagehand
