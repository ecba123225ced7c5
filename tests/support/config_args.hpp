#pragma once
// Helpers of the configuration tests (runtime/config and server/serve_config):
// INI files that exist for one test, and parsing as the tool parses.

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include <unistd.h>

#include "runtime/config.hpp"

namespace stagehand::test {

/// Writes an INI file for the lifetime of the test.
struct ini_file {
  explicit ini_file(const std::string& text)
    : path("stagehand-config-test-" + std::to_string(::getpid()) + "-"
           + std::to_string(++count) + ".ini") {
    std::ofstream{path} << text;
  }
  ~ini_file() {
    std::remove(path.c_str());
  }
  static inline int count = 0;
  std::string path;
};

inline caf::error parse(config& cfg, std::vector<std::string> args) {
  std::vector<char*> argv{const_cast<char*>("stagehand")};
  for (auto& arg : args)
    argv.push_back(arg.data());
  if (auto err = cfg.parse(static_cast<int>(argv.size()), argv.data()))
    return err;
  return cfg.validate();
}

/// Parses `ini` as the configuration file `name`, which exists only meanwhile.
inline caf::error parse_ini(config& cfg, const std::string& name,
                            const std::string& ini) {
  {
    std::ofstream out{name};
    out << ini;
  }
  auto err = parse(cfg, {"--config-file=" + name});
  std::remove(name.c_str());
  return err;
}

/// Checks that `args` are refused with an error that names `key`.
template <class Config = config>
void check_refused(std::vector<std::string> args, const char* key) {
  Config cfg;
  auto err = parse(cfg, std::move(args));
  BOOST_REQUIRE_MESSAGE(err, key);
  BOOST_CHECK_MESSAGE(cfg.render(err).find(key) != std::string::npos,
                      cfg.render(err));
}

/// Parses and validates; @returns the rendered error, failing if none.
template <class Config = config>
std::string refusal(std::vector<std::string> args) {
  Config cfg;
  auto err = parse(cfg, std::move(args));
  BOOST_REQUIRE_MESSAGE(err, "accepted a bad configuration");
  auto text = config::render(err);
  BOOST_CHECK_MESSAGE(text.find("parser_error") == std::string::npos
                        && text.find("system_error") == std::string::npos
                        && text.find("error(") == std::string::npos,
                      "CAF's text reaches the user: " << text);
  return text;
}

inline void check_says(const std::string& text,
                       std::initializer_list<std::string> parts) {
  for (auto& part : parts)
    BOOST_CHECK_MESSAGE(text.find(part) != std::string::npos,
                        "'" << text << "' lacks '" << part << "'");
}

} // namespace stagehand::test
