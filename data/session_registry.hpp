#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "data/active_session.hpp"

namespace stagehand {

/// The Active Session table: every client, web-service, background and child
/// session of one runtime, from the moment it opens until it ends. Sessions
/// of any kind add and remove themselves from any thread.
class session_registry {
public:
  explicit session_registry(std::uint32_t server_instance_id = 1)
    : server_instance_id_(server_instance_id) {}

  /// Adds a session, stamping its login time and server instance. Its
  /// Session Unique ID is `unique_id`, or, if that is empty, one made when
  /// the row is first listed: a child session, one per page task, needs
  /// none otherwise, and this runs on every task's path.
  void add(session_id id, client_type client, std::string user,
           std::string company, std::string unique_id = {});

  void remove(session_id id);

  /// The open session `id`, if there is one: whom it runs as, and where.
  std::optional<active_session> find(session_id id);

  /// The open sessions, ordered by session id.
  std::vector<active_session> list();

private:
  std::uint32_t server_instance_id_;
  std::mutex mtx_;
  std::map<session_id, active_session> sessions_;
};

} // namespace stagehand
