#pragma once

#include <string>

#include <caf/expected.hpp>

namespace stagehand {

/// The administrator key `stagehand serve` makes for itself when no
/// `api-keys` are configured, so that a first run has a key to try the API
/// with, as Jupyter makes its token. It is made once, in
/// `<data-dir>/admin-api-key` with mode 0600, from 32 random bytes of
/// OpenSSL's `RAND_bytes` written as 64 hex digits; later starts read it
/// back. Configured `api-keys` replace it: then no file is made or read.
struct first_run_key {
  static constexpr const char* file_name = "admin-api-key";

  /// The user the key's operations run as; the key is an admin key.
  static constexpr const char* user = "admin";

  /// Where the key lives.
  std::string path;

  std::string key;

  /// True if this start made the key, false if it read an earlier one.
  bool created = false;

  /// The key as an `api-keys` entry: `KEY=admin:admin`.
  std::string entry() const;

  /// Reads `<data_dir>/admin-api-key`, or makes it (and `data_dir`) if it
  /// does not exist. Fails, with a sentence naming the file as the error's
  /// context, if the file cannot be made or read, holds no valid key, or
  /// can be read by others than its owner.
  static caf::expected<first_run_key>
  load_or_create(const std::string& data_dir);
};

} // namespace stagehand
