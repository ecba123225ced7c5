#include "services/node_table.hpp"

#include <algorithm>

#include <caf/actor_cast.hpp>

#include "core/errc.hpp"

namespace stagehand {

bool node_entry::has(codeunit_id id) const {
  return std::binary_search(codeunits.begin(), codeunits.end(), id);
}

caf::error node_table::add(node_entry entry) {
  std::sort(entry.codeunits.begin(), entry.codeunits.end());
  auto now = std::chrono::steady_clock::now();
  entry.joined = now;
  entry.last_heard = now;
  entry.live = true;
  std::lock_guard<std::mutex> guard{mtx_};
  has_workers_ = true;
  auto same = std::find_if(nodes_.begin(), nodes_.end(),
                           [&](auto& x) { return x.name == entry.name; });
  if (same == nodes_.end()) {
    nodes_.push_back(std::move(entry));
    return caf::none;
  }
  if (same->live)
    return make_error(errc::duplicate_node, caf::make_message(entry.name));
  entry.lost_count = same->lost_count;
  *same = std::move(entry);
  return caf::none;
}

std::optional<node_entry> node_table::find(const std::string& name) const {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& x : nodes_)
    if (x.name == name)
      return x;
  return std::nullopt;
}

std::optional<node_entry>
node_table::find(const caf::actor_addr& agent) const {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& x : nodes_)
    if (x.agent && x.agent.address() == agent)
      return x;
  return std::nullopt;
}

bool node_table::mark_lost(const std::string& name) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& x : nodes_) {
    if (x.name == name && x.live) {
      x.live = false;
      ++x.lost_count;
      return true;
    }
  }
  return false;
}

bool node_table::mark_lost(const caf::actor_addr& agent) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& x : nodes_) {
    if (x.agent && x.agent.address() == agent && x.live) {
      x.live = false;
      ++x.lost_count;
      return true;
    }
  }
  return false;
}

void node_table::heard(const std::string& name) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& x : nodes_)
    if (x.name == name)
      x.last_heard = std::chrono::steady_clock::now();
}

void node_table::heard(const caf::actor_addr& agent) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& x : nodes_)
    if (x.agent && x.agent.address() == agent)
      x.last_heard = std::chrono::steady_clock::now();
}

std::vector<node_entry> node_table::list() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return nodes_;
}

std::vector<node_entry> node_table::live() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<node_entry> result;
  for (auto& x : nodes_)
    if (x.live)
      result.push_back(x);
  return result;
}

void node_table::configure(placement_mode mode, std::size_t local_capacity) {
  std::lock_guard<std::mutex> guard{mtx_};
  mode_ = mode;
  local_capacity_ = std::max<std::size_t>(local_capacity, 1);
}

caf::expected<placement> node_table::place(codeunit_id codeunit,
                                           bool local_has) {
  auto unknown = [&] {
    return make_error(errc::unknown_codeunit, caf::make_message(codeunit));
  };
  // The common case, one process: no lock, no counting.
  if (!has_workers_.load(std::memory_order_acquire)
      && mode_ != placement_mode::remote) {
    if (!local_has)
      return unknown();
    return placement{};
  }
  std::lock_guard<std::mutex> guard{mtx_};
  // Loads compare as fractions: running_a * capacity_b < running_b * capacity_a.
  struct candidate {
    node_entry* node; // null: this process
    std::size_t running;
    std::size_t capacity;
  };
  auto better = [](const candidate& a, const candidate& b) {
    bool a_free = a.running < a.capacity;
    bool b_free = b.running < b.capacity;
    if (a_free != b_free)
      return a_free;
    return a.running * b.capacity < b.running * a.capacity;
  };
  std::optional<candidate> best;
  if (mode_ != placement_mode::remote && local_has)
    best = candidate{nullptr, local_running_, local_capacity_};
  if (mode_ != placement_mode::local)
    for (auto& node : nodes_) {
      if (!node.live || !node.has(codeunit))
        continue;
      candidate c{&node, node.running, std::max<std::size_t>(node.capacity, 1)};
      if (!best || better(c, *best))
        best = c;
    }
  if (!best)
    return unknown();
  if (best->node == nullptr) {
    ++local_running_;
    return placement{local_node_name, {}, true};
  }
  ++best->node->running;
  return placement{best->node->name, best->node->agent, true};
}

bool node_table::can_place(codeunit_id codeunit, bool local_has) const {
  auto mode = mode_.load();
  if (local_has && mode != placement_mode::remote)
    return true;
  if (mode == placement_mode::local
      || !has_workers_.load(std::memory_order_acquire))
    return false;
  std::lock_guard<std::mutex> guard{mtx_};
  return std::any_of(nodes_.begin(), nodes_.end(), [&](const node_entry& n) {
    return n.live && n.has(codeunit);
  });
}

void node_table::release(const placement& where) {
  if (!where.counted)
    return;
  std::lock_guard<std::mutex> guard{mtx_};
  if (where.local()) {
    if (local_running_ > 0)
      --local_running_;
    return;
  }
  // By agent, not name: a node that rejoined under its name is a new entry.
  for (auto& node : nodes_)
    if (node.agent == where.agent && node.running > 0)
      --node.running;
}

std::size_t node_table::local_running() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return local_running_;
}

placement_mode node_table::mode() const {
  return mode_.load();
}

std::size_t node_table::local_capacity() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return local_capacity_;
}

} // namespace stagehand
