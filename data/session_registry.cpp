#include "data/session_registry.hpp"

#include "core/guid.hpp"

namespace stagehand {

void session_registry::add(session_id id, client_type client, std::string user,
                           std::string company, std::string unique_id) {
  active_session row{server_instance_id_,
                     id,
                     std::move(user),
                     client,
                     std::chrono::system_clock::now(),
                     std::move(company),
                     std::move(unique_id)};
  std::lock_guard<std::mutex> guard{mtx_};
  sessions_.insert_or_assign(id, std::move(row));
}

void session_registry::remove(session_id id) {
  std::lock_guard<std::mutex> guard{mtx_};
  sessions_.erase(id);
}

std::optional<active_session> session_registry::find(session_id id) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = sessions_.find(id);
  if (i == sessions_.end())
    return std::nullopt;
  return i->second;
}

std::vector<active_session> session_registry::list() {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<active_session> result;
  result.reserve(sessions_.size());
  for (auto& [id, row] : sessions_) {
    if (row.unique_id.empty())
      row.unique_id = make_guid();
    result.push_back(row);
  }
  return result;
}

} // namespace stagehand
