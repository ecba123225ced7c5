#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "core/cluster_settings.hpp"
#include "messages/ids.hpp"
#include "messages/placement.hpp"
#include "messages/worker_actor.hpp"

namespace stagehand {

/// One worker node as the coordinator knows it.
struct node_entry {
  /// Its `node-name`.
  std::string name;
  /// Its agent, which the coordinator monitors and will place work on.
  worker_actor agent;
  /// Codeunits it runs at once.
  std::size_t capacity = 0;
  /// The codeunits it registered, ascending.
  std::vector<codeunit_id> codeunits;
  /// False once it was lost (or let go); it then gets no work.
  bool live = true;
  /// When it joined, and when the coordinator last heard from it.
  std::chrono::steady_clock::time_point joined;
  std::chrono::steady_clock::time_point last_heard;
  /// How often a node of this name was lost since the table began.
  std::size_t lost_count = 0;
  /// Tasks and sessions placed on it that have not ended yet.
  std::size_t running = 0;

  /// True if it registered `id`.
  bool has(codeunit_id id) const;
};

/// The coordinator's list of the workers that joined it, live or lost. The
/// door actor writes it; the actors that place work (and tests, and `play`)
/// read it from any thread. It sits in services/ so that actors/ can read it
/// without knowing the cluster layer, and it copies entries out so that no
/// reader holds its lock.
class node_table {
public:
  /// Lists a joined worker as live. A lost node of the same name is
  /// replaced, keeping its `lost_count`.
  /// @returns `duplicate_node` if a live node already has the name.
  caf::error add(node_entry entry);

  /// The node called `name`, live or lost.
  std::optional<node_entry> find(const std::string& name) const;

  /// The node whose agent has address `agent`, live or lost.
  std::optional<node_entry> find(const caf::actor_addr& agent) const;

  /// Marks the node lost and counts it.
  /// @returns true if it was live, false if it was lost already or unknown.
  bool mark_lost(const std::string& name);

  /// Marks lost the node whose agent is `agent`: a node that rejoined under
  /// the same name has another agent and stays live.
  /// @returns true if it was live.
  bool mark_lost(const caf::actor_addr& agent);

  /// Notes that the node was heard from now.
  void heard(const std::string& name);

  /// Notes that the node whose agent is `agent` was heard from now: for the
  /// actors that accept a worker's report, which know its agent, so that a
  /// late report of an agent that has since been replaced under the same
  /// name does not make the new node look heard.
  void heard(const caf::actor_addr& agent);

  /// Every node, in the order they first joined.
  std::vector<node_entry> list() const;

  /// The live nodes only.
  std::vector<node_entry> live() const;

  // -- placement --------------------------------------------------------------

  /// Sets where work may go, and how many codeunits this process itself runs
  /// at once when it competes with its workers (`spread`).
  void configure(placement_mode mode, std::size_t local_capacity);

  /// Picks the node for a codeunit and counts the work on it: the live node,
  /// of those `placement` allows, that has the codeunit and the lowest load
  /// (running / capacity), preferring one with a free slot and this process
  /// on a tie. With every node full, the least loaded one still takes it, and
  /// the work waits there for a thread. `local_has` says whether this
  /// process has the codeunit.
  /// @returns `unknown_codeunit` naming it if no allowed live node has it.
  caf::expected<placement> place(codeunit_id codeunit, bool local_has);

  /// Whether `place` would find a node for the codeunit now.
  bool can_place(codeunit_id codeunit, bool local_has) const;

  /// Uncounts work that `place` counted.
  void release(const placement& where);

  /// Work running in this process, as `place` counted it.
  std::size_t local_running() const;

  /// Where work may go, as `configure` set it.
  placement_mode mode() const;

  /// The capacity `place` weighs this process with, as `configure` set it.
  std::size_t local_capacity() const;

private:
  mutable std::mutex mtx_;
  std::vector<node_entry> nodes_;
  std::atomic<placement_mode> mode_{placement_mode::spread};
  std::size_t local_capacity_ = 8;
  std::size_t local_running_ = 0;
  /// Lets `place` skip the lock while no worker has ever joined.
  std::atomic<bool> has_workers_{false};
};

} // namespace stagehand
