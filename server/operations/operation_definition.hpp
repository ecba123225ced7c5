#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <caf/timespan.hpp>
#include <nlohmann/json_fwd.hpp>

#include "messages/dictionary.hpp"
#include "messages/ids.hpp"
#include "server/operations/operation_parameter.hpp"

namespace stagehand {

/// How a client calls an operation, as OData tells functions from actions:
/// an action with `POST` and a JSON body, a function with `GET` and its
/// parameters in the path, `<name>(Text='hi')`.
enum class operation_kind : std::uint8_t { action, function };

const char* to_string(operation_kind x) noexcept;

/// A registered operation, the platform's "custom API": what a submit to
/// `POST /api/data/v9.2/<name>` runs and which inputs it accepts.
struct operation_definition {
  /// Unique, the last segment of the submit URL, e.g. `sample_Wait`.
  std::string name;
  std::string display_name;
  codeunit_id codeunit = 0;
  std::vector<operation_parameter> parameters;
  /// One attempt's execution limit (SPEC.md §3: 2 minutes).
  caf::timespan limit = std::chrono::minutes(2);
  /// A function may also be submitted with `POST` and a JSON body, as an
  /// action is, so that clients written for either form reach it.
  operation_kind kind = operation_kind::action;

  /// Checks a submit's JSON body against the declared parameters and turns
  /// it into the codeunit's text inputs: integers in decimal, booleans as
  /// `true`/`false`.
  /// @returns the inputs, or `invalid_argument` naming the parameter that is
  ///          missing, mistyped or unknown.
  caf::expected<dictionary> bind(const nlohmann::json& body) const;
};

} // namespace stagehand
