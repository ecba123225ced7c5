#include "runtime/session_registry.hpp"

#include "runtime/guid.hpp"

namespace stagehand {

active_session session_registry::add(session_id id, client_type client,
                                     std::string user, std::string company) {
  active_session row{server_instance_id_,
                     id,
                     std::move(user),
                     client,
                     std::chrono::system_clock::now(),
                     std::move(company),
                     make_guid()};
  std::lock_guard<std::mutex> guard{mtx_};
  sessions_[id] = row;
  return row;
}

void session_registry::remove(session_id id) {
  std::lock_guard<std::mutex> guard{mtx_};
  sessions_.erase(id);
}

std::vector<active_session> session_registry::list() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<active_session> result;
  result.reserve(sessions_.size());
  for (auto& [id, row] : sessions_)
    result.push_back(row);
  return result;
}

} // namespace stagehand
