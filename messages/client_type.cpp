#include "messages/client_type.hpp"

namespace stagehand {

std::string to_string(client_type x) {
  return x == client_type::web_service ? "Web Service" : "Web Client";
}

std::optional<client_type> parse_client_type(std::string_view str) {
  if (str == "web")
    return client_type::web_client;
  if (str == "web_service")
    return client_type::web_service;
  return std::nullopt;
}

} // namespace stagehand
