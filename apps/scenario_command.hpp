#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "messages/dictionary.hpp"

namespace stagehand::apps {

/// Reading one line of a `stagehand play` scenario: the JSON object and the
/// typed fields its commands take. It lives apart from `scenario_player` so
/// that the fuzzer (tests/fuzz) can run it without a runtime behind it.

/// A scenario line that cannot run; stops the player with exit code 2.
struct malformed_line : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One line as a command object.
/// @throws nlohmann::json::parse_error if it is not JSON, malformed_line if
///         it holds a number out of range or is not an object.
nlohmann::json parse_scenario_line(const std::string& line);

/// @throws malformed_line naming the field if `cmd` has none called `name`.
const nlohmann::json& field(const nlohmann::json& cmd, const char* name);

std::string text_field(const nlohmann::json& cmd, const char* name);

std::int64_t int_field(const nlohmann::json& cmd, const char* name);

std::int64_t non_negative_field(const nlohmann::json& cmd, const char* name);

/// The optional `params` object; numbers and booleans become their JSON text.
dictionary params_field(const nlohmann::json& cmd);

} // namespace stagehand::apps
