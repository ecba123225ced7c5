#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <spdlog/logger.h>

#include "cluster/coordinator_ref.hpp"
#include "core/thread_pool.hpp"
#include "data/company_directory.hpp"
#include "messages/cluster_door_actor.hpp"
#include "messages/worker_actor.hpp"
#include "runtime/config.hpp"
#include "services/codeunit_registry.hpp"

namespace stagehand {

/// A worker node, for an embedding user's own worker program: it joins a
/// coordinator (a `runtime` with `cluster-port` set, or `listen_for_workers`)
/// and runs work for it. A worker has its own actor system, its own
/// codeunit registry (register the codeunits it offers before `join`), its
/// own blocking pool of `worker-capacity` threads and its own `data-dir`.
/// `stagehand worker HOST:PORT` is this class with the sample codeunits.
///
/// ```cpp
/// stagehand::config cfg;                 // --stagehand.cluster-ca=... etc.
/// cfg.parse(argc, argv);
/// stagehand::worker w{cfg};
/// my_codeunits(w.codeunits());
/// if (auto err = w.join("10.0.0.5", 4710)) { report(err); return 1; }
/// auto why = w.wait();                   // leave() from a signal thread
/// ```
class worker {
public:
  /// Loads the cluster modules into `cfg` (`config::enable_cluster`), which
  /// must outlive the worker, and fills in its node name if empty.
  explicit worker(config& cfg);

  worker(const worker&) = delete;
  worker& operator=(const worker&) = delete;

  /// Leaves the cluster (the coordinator sees the agent end) and lets the
  /// pool finish.
  ~worker();

  codeunit_registry& codeunits() {
    return *codeunits_;
  }

  caf::actor_system& system() {
    return system_;
  }

  const std::string& node_name() const {
    return node_;
  }

  /// Where the worker opens companies: its own `data-dir`.
  const std::shared_ptr<company_directory>& companies() const {
    return companies_;
  }

  /// Joins the coordinator at `host:port`, over mutual TLS if the config
  /// has the three TLS files; blocks at most 4 s (`worker_join_timeout`).
  /// After a join that gave up on a peer that accepted and never answered,
  /// CAF 0.17.6 may keep the actor system (and so this object's destructor)
  /// from ending; `stagehand worker` exits at once instead.
  /// @returns none once the coordinator lists the worker as live, else the
  ///          cause: `coordinator_unreachable`, `certificate_refused`,
  ///          `incompatible_version`, `message_types_mismatch`,
  ///          `duplicate_node`, or `cluster_unavailable` for a second join.
  caf::error join(const std::string& host, std::uint16_t port);

  /// The coordinator's node name, once joined.
  const std::string& coordinator() const {
    return coordinator_;
  }

  /// Blocks until `leave()` is called or the coordinator says goodbye (both
  /// none), or the coordinator is lost (`node_lost` naming it).
  caf::error wait();

  /// Ends `wait`; safe from any thread, and more than once.
  void leave();

private:
  /// Records the first reason the worker ends and wakes `wait`.
  void end(caf::error why);

  const config& cfg_;
  std::string node_;
  // Before the actor system, which outlives them otherwise: the agent and
  // the watch call `end` until the system has stopped them.
  std::mutex mtx_;
  std::condition_variable cv_;
  std::optional<caf::error> ended_;
  caf::actor_system system_;
  std::shared_ptr<spdlog::logger> log_;
  std::shared_ptr<codeunit_registry> codeunits_;
  std::shared_ptr<thread_pool> pool_;
  std::shared_ptr<company_directory> companies_;
  /// The node it joined, whose work alone the agent takes.
  std::shared_ptr<coordinator_ref> coordinator_node_
    = std::make_shared<coordinator_ref>();
  worker_actor agent_;
  cluster_door_actor door_;
  caf::actor watch_;
  std::string coordinator_;
};

} // namespace stagehand
