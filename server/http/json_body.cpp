#include "server/http/json_body.hpp"

#include <caf/sec.hpp>

namespace stagehand {

std::size_t json_depth(const std::string& text, std::size_t limit) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (auto c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > limit)
        return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

caf::expected<nlohmann::json> parse_json_body(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos)
    return nlohmann::json::object();
  if (json_depth(body, max_json_depth) > max_json_depth)
    return caf::make_error(caf::sec::invalid_argument,
                           "The request body nests arrays and objects deeper "
                           "than "
                             + std::to_string(max_json_depth) + " levels.");
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded())
    return caf::make_error(caf::sec::invalid_argument,
                           std::string{"The request body is not valid JSON."});
  return parsed;
}

} // namespace stagehand
