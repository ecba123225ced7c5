#include "server/security/api_key.hpp"

#include <set>

#include <caf/sec.hpp>

namespace stagehand {

caf::expected<api_key> api_key::parse(const std::string& text) {
  auto fail = [&](const char* why) {
    return caf::make_error(caf::sec::invalid_argument,
                           "entry '" + text + "' " + why);
  };
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    return fail("must be KEY=USER or KEY=USER:admin");
  api_key result;
  result.key = text.substr(0, eq);
  result.user = text.substr(eq + 1);
  static const std::string admin_suffix = ":admin";
  if (auto colon = result.user.find(':'); colon != std::string::npos) {
    if (result.user.compare(colon, std::string::npos, admin_suffix) != 0)
      return fail("may only end in ':admin'");
    result.user.resize(colon);
    result.admin = true;
  }
  if (result.user.empty())
    return fail("names no user");
  for (auto c : result.key)
    if (c <= ' ' || c == 127)
      return fail("has a key with blanks or control characters");
  return result;
}

std::string check_api_keys(const std::vector<std::string>& entries) {
  std::set<std::string> seen;
  for (auto& entry : entries) {
    auto parsed = api_key::parse(entry);
    if (!parsed)
      return parsed.error().context().match_elements<std::string>()
               ? parsed.error().context().get_as<std::string>(0)
               : "invalid entry";
    if (!seen.insert(parsed->key).second)
      return "the key of entry '" + entry + "' appears twice";
  }
  return {};
}

} // namespace stagehand
