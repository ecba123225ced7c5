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

void node_table::heard(const std::string& name) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto& x : nodes_)
    if (x.name == name)
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

} // namespace stagehand
