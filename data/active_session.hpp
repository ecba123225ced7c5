#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "messages/client_type.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// One row of the Active Session table (SPEC.md §2): a session that is open
/// right now, whatever its kind.
struct active_session {
  std::uint32_t server_instance_id = 1;
  session_id id = 0;
  std::string user_id;
  client_type client = client_type::web_client;
  std::chrono::system_clock::time_point login_datetime;
  /// The company whose database the session uses.
  std::string database_name;
  std::string unique_id;
};

} // namespace stagehand
