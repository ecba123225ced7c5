#pragma once

#include <string>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

namespace stagehand {

/// The last segment of `GET /api/data/v9.2/<name>(<parameters>)`, OData's
/// function-call syntax, read into the operation's name and the same JSON
/// object of inputs that an action's `POST` body would carry, so that a
/// function and an action go through one submit path and one binding.
///
/// Parameters are `Name=value`, separated by commas. A value is a string in
/// single quotes (`''` is a quote inside it), an integer, `true`, `false`,
/// `null`, or a parameter alias `@name` whose value the query string gives
/// (`?@name='...'`), as OData lets clients move long or awkward values out of
/// the path. Percent-encoding inside the parentheses is decoded first.
struct function_call {
  std::string name;
  nlohmann::json inputs = nlohmann::json::object();

  /// Reads `segment` (`sample_Echo(Text='hi')`, or `sample_Echo` alone) with
  /// `query`, the request's query string without `?`, for aliases. Fails with
  /// `caf::sec::invalid_argument` whose context names what is wrong and
  /// where.
  static caf::expected<function_call> parse(const std::string& segment,
                                            const std::string& query);
};

} // namespace stagehand
