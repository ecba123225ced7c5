#include "server/security/api_key_ring.hpp"

#include <strings.h>

#include "server/security/api_key.hpp"

namespace stagehand {

api_key_ring::api_key_ring(const std::vector<std::string>& entries) {
  for (auto& entry : entries)
    if (auto key = api_key::parse(entry))
      keys_.emplace(key->key, principal{key->user, key->admin});
}

const principal*
api_key_ring::authenticate(const std::string& authorization) const {
  static constexpr char scheme[] = "Bearer ";
  constexpr auto scheme_len = sizeof(scheme) - 1;
  if (authorization.size() <= scheme_len
      || strncasecmp(authorization.c_str(), scheme, scheme_len) != 0)
    return nullptr;
  auto i = keys_.find(authorization.substr(scheme_len));
  return i != keys_.end() ? &i->second : nullptr;
}

} // namespace stagehand
