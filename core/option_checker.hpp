#pragma once

#include <istream>
#include <map>
#include <string>
#include <vector>

#include <caf/config_option.hpp>
#include <caf/config_option_set.hpp>
#include <caf/config_value.hpp>
#include <caf/error.hpp>

namespace stagehand {

/// Where a key got its value: `FILE:LINE` for the INI file, or the command
/// line argument itself, so that a later error can point at it.
using option_origins = std::map<std::string, std::string>;

/// Checks the `stagehand.*` settings of an INI file and a command line before
/// CAF sees them. CAF reports a bad value as `parser_error(...)` without the
/// key or the file, and ignores a misspelled key in the INI file; this check
/// names the key, the place, what was expected and an example, and refuses
/// unknown keys in both places with the closest known key. The option table
/// (`config::config()`) is its only source of keys, types and defaults.
class option_checker {
public:
  /// `defaults` holds each key's default as INI text (examples in errors).
  option_checker(const caf::config_option_set& options, std::string category,
                 const std::map<std::string, std::string>& defaults);

  // -- checks -----------------------------------------------------------------

  /// Checks every line of the INI text in `in`, named `file` in errors, and
  /// records where each key was set.
  caf::error check_ini(std::istream& in, const std::string& file,
                       option_origins& origins) const;

  /// Checks each `--CATEGORY.KEY=VALUE` before the first non-option argument.
  caf::error check_cli(const std::vector<std::string>& args,
                       option_origins& origins) const;

  // -- texts ------------------------------------------------------------------

  /// "a whole number", "a duration: a number and a unit (...)", ...
  static std::string expected(const caf::config_option& opt, bool ini);

  /// The known key nearest to `key` by edit distance, or empty if none is
  /// close enough to be a typo.
  std::string closest(const std::string& key) const;

  /// An error whose whole text is `text` (see `config::render`).
  static caf::error make(std::string text);

  /// Puts an error of CAF's own parser (`parser_error(...)`,
  /// `system_error(...)`) into words, naming `file` or the argument.
  static caf::error translate(const caf::error& err, const std::string& file);

private:
  caf::error check_ini_value(const std::string& where, const std::string& key,
                             const std::string& value) const;

  caf::error unknown(const std::string& where, const std::string& key) const;

  const caf::config_option* find(const std::string& key) const;

  std::string example(const caf::config_option& opt, bool ini) const;

  const caf::config_option_set& options_;
  std::string category_;
  const std::map<std::string, std::string>& defaults_;
};

/// Renders a configuration value as it would be written in the INI file, with
/// durations in their largest exact unit (`8h`, not CAF's `0d`).
std::string ini_text(const caf::config_value& x);

} // namespace stagehand
