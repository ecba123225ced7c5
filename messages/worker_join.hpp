#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/worker_actor.hpp"

namespace stagehand {

/// The version of what coordinator and workers say to each other. Raise it
/// whenever a cluster message or its meaning changes; a join with another
/// version is refused with `incompatible_version`.
inline constexpr std::uint32_t cluster_protocol = 1;

/// A worker asks a coordinator's door to join the cluster. The coordinator
/// checks the protocol and the fingerprint of the message types (so that a
/// worker built from other sources is refused at the door, not later, when
/// a message it cannot read is dropped), then lists it in its node table.
struct worker_join {
  std::uint32_t protocol = cluster_protocol;
  /// The worker's `node-name`; no two live nodes share one.
  std::string node;
  /// Codeunits the worker runs at once (`worker-capacity`).
  std::uint64_t capacity = 0;
  /// The codeunits the worker registered, ascending.
  std::vector<codeunit_id> codeunits;
  /// `message_types_fingerprint` of the worker's config.
  std::string types;
  /// The worker's agent, which the coordinator monitors and tells goodbye.
  worker_actor agent;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, worker_join& x) {
  return f(caf::meta::type_name("stagehand::worker_join"), x.protocol, x.node,
           x.capacity, x.codeunits, x.types, x.agent);
}

} // namespace stagehand
