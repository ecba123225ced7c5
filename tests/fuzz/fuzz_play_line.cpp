// libFuzzer target: one line of a `stagehand play` scenario
// (apps/scenario_command), read as the player reads it.
//
// Any bytes either parse to a command object or fail with the two errors
// the player reports ("invalid JSON", a malformed line); any other
// exception would escape the player and kill `play`. Every field of the
// object is then read with each typed reader the commands use, which
// answer with the value or a malformed_line that names the field.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "apps/scenario_command.hpp"
#include "messages/client_type.hpp"
#include "messages/error_level.hpp"

namespace {

using nlohmann::json;
using stagehand::apps::malformed_line;

[[noreturn]] void fail(const std::string& what, const char* why) {
  std::fprintf(stderr, "play line, %s: %s\n", what.c_str(), why);
  std::abort();
}

/// Runs one reader; a refusal must name the field.
template <class Reader>
void read(const std::string& name, Reader reader) {
  try {
    reader();
  } catch (const malformed_line& e) {
    if (std::string{e.what()}.find(name) == std::string::npos)
      fail(name, "refused without naming the field");
  }
}

void read_fields(const json& cmd) {
  for (auto i = cmd.begin(); i != cmd.end(); ++i) {
    // Plain references: C++17 lambdas cannot capture structured bindings.
    const auto& key = i.key();
    const auto& value = i.value();
    // The commands look fields up by C string, so a key with a NUL in it is
    // never one of theirs.
    if (key.find('\0') != std::string::npos)
      continue;
    auto* name = key.c_str();
    read(key, [&] {
      auto text = stagehand::apps::text_field(cmd, name);
      if (text != value.get<std::string>())
        fail(key, "read a text other than the field's");
      // The commands' enumerations parse from fields as given.
      stagehand::parse_client_type(text);
      stagehand::parse_error_level(text);
    });
    read(key, [&] {
      if (stagehand::apps::int_field(cmd, name) != value.get<std::int64_t>())
        fail(key, "read an integer other than the field's");
    });
    read(key, [&] {
      if (stagehand::apps::non_negative_field(cmd, name) < 0)
        fail(key, "read a negative number as non-negative");
    });
  }
  // Refusals name the field "params" or the parameter inside it.
  read("param", [&] {
    for (auto& [key, text] : stagehand::apps::params_field(cmd)) {
      auto& value = cmd.at("params").at(key);
      if (text != (value.is_string() ? value.get<std::string>() : value.dump()))
        fail(key, "read a parameter other than the field's");
    }
  });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto line = std::string{reinterpret_cast<const char*>(data), size};
  json cmd;
  try {
    cmd = stagehand::apps::parse_scenario_line(line);
  } catch (const json::parse_error&) {
    return 0;
  } catch (const malformed_line& e) {
    auto text = std::string{e.what()};
    if (text != "a line must be a JSON object"
        && text.rfind("invalid JSON: ", 0) != 0)
      fail("line", "refused with an unexpected text");
    return 0;
  }
  if (!cmd.is_object())
    fail("line", "parsed to something other than an object");
  read_fields(cmd);
  return 0;
}
