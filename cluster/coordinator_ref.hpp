#pragma once

#include <mutex>

#include <caf/node_id.hpp>

namespace stagehand {

/// The node a worker joined, written once by the joining thread and read by
/// the worker's agent on every message: the agent takes work only from it.
class coordinator_ref {
public:
  void set(caf::node_id node) {
    std::lock_guard<std::mutex> guard{mtx_};
    node_ = std::move(node);
  }

  /// True if `node` is the coordinator (never before the join).
  bool is(const caf::node_id& node) const {
    std::lock_guard<std::mutex> guard{mtx_};
    return node_ != caf::none && node == node_;
  }

private:
  mutable std::mutex mtx_;
  caf::node_id node_;
};

} // namespace stagehand
