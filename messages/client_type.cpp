#include "messages/client_type.hpp"

namespace stagehand {

std::string to_string(client_type x) {
  switch (x) {
  case client_type::web_client:
    return "Web Client";
  case client_type::web_service:
    return "Web Service";
  case client_type::background:
    return "Background";
  case client_type::child_session:
    return "Child Session";
  }
  return "Web Client";
}

std::optional<client_type> parse_client_type(std::string_view str) {
  if (str == "web")
    return client_type::web_client;
  if (str == "web_service")
    return client_type::web_service;
  return std::nullopt;
}

} // namespace stagehand
