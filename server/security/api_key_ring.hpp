#pragma once

#include <map>
#include <string>
#include <vector>

#include "server/security/principal.hpp"

namespace stagehand {

/// The configured bearer keys (`stagehand.api-keys`), looked up per request.
/// Entries were checked by `config::validate()`; one that does not parse is
/// skipped rather than trusted.
class api_key_ring {
public:
  explicit api_key_ring(const std::vector<std::string>& entries);

  /// Reads `Authorization: Bearer <key>`.
  /// @returns the key's principal, or null if the header is missing,
  ///          malformed or names no configured key.
  const principal* authenticate(const std::string& authorization) const;

private:
  std::map<std::string, principal> keys_;
};

} // namespace stagehand
