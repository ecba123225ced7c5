#pragma once

#include <string>
#include <vector>

#include <caf/expected.hpp>

namespace stagehand {

/// One bearer key of `stagehand serve`, as the INI file's `api-keys` list
/// writes it: `KEY=USER` or `KEY=USER:admin`.
struct api_key {
  std::string key;
  /// The user id that operations submitted with this key run as.
  std::string user;
  /// Admins see and cancel every user's operations and manage webhooks.
  bool admin = false;

  /// @returns the key, or an error saying what is wrong with `text`.
  static caf::expected<api_key> parse(const std::string& text);
};

/// Checks a whole `api-keys` list: every entry parses and no key repeats.
/// @returns why the list is invalid, or an empty string.
std::string check_api_keys(const std::vector<std::string>& entries);

} // namespace stagehand
