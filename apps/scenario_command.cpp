#include "apps/scenario_command.hpp"

namespace stagehand::apps {

using nlohmann::json;

json parse_scenario_line(const std::string& line) {
  json cmd;
  try {
    cmd = json::parse(line, nullptr, true);
  } catch (const json::out_of_range& e) {
    // A number beyond a double (1e999) fails the parse as out_of_range, not
    // parse_error; uncaught, it would end `play` in std::terminate.
    throw malformed_line{std::string{"invalid JSON: "} + e.what()};
  }
  if (!cmd.is_object())
    throw malformed_line{"a line must be a JSON object"};
  return cmd;
}

const json& field(const json& cmd, const char* name) {
  auto i = cmd.find(name);
  if (i == cmd.end())
    throw malformed_line{std::string{"missing field \""} + name + "\""};
  return *i;
}

std::string text_field(const json& cmd, const char* name) {
  auto& x = field(cmd, name);
  if (!x.is_string())
    throw malformed_line{std::string{"field \""} + name
                         + "\" must be a string"};
  return x.get<std::string>();
}

std::int64_t int_field(const json& cmd, const char* name) {
  auto& x = field(cmd, name);
  if (!x.is_number_integer())
    throw malformed_line{std::string{"field \""} + name
                         + "\" must be an integer"};
  return x.get<std::int64_t>();
}

std::int64_t non_negative_field(const json& cmd, const char* name) {
  auto x = int_field(cmd, name);
  if (x < 0)
    throw malformed_line{std::string{"field \""} + name
                         + "\" must not be negative"};
  return x;
}

dictionary params_field(const json& cmd) {
  dictionary result;
  auto i = cmd.find("params");
  if (i == cmd.end())
    return result;
  if (!i->is_object())
    throw malformed_line{"field \"params\" must be an object"};
  for (auto& [key, value] : i->items()) {
    if (value.is_string())
      result.emplace(key, value.get<std::string>());
    else if (value.is_number() || value.is_boolean())
      result.emplace(key, value.dump());
    else
      throw malformed_line{"parameter \"" + key
                           + "\" must be a string or a number"};
  }
  return result;
}

} // namespace stagehand::apps
