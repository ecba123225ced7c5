#pragma once

#include <cstddef>
#include <string>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

namespace stagehand {

/// The deepest nesting of arrays and objects a request body may have. No
/// operation parameter or webhook needs more than 1; the limit keeps a
/// hostile body of a million `[` from building a DOM that deep, whose
/// recursive destruction or dump could exhaust the stack.
inline constexpr std::size_t max_json_depth = 64;

/// How deep `text` nests arrays and objects, counting brackets outside
/// strings, in one pass and without building anything. Stops counting once
/// past `limit`. Malformed JSON is measured all the same; the parser refuses
/// it afterwards.
std::size_t json_depth(const std::string& text, std::size_t limit);

/// Parses a request body as JSON; a blank body is an empty object. Checks
/// the depth before parsing. Fails with `caf::sec::invalid_argument` whose
/// context is the answer's text: "The request body nests arrays and objects
/// deeper than 64 levels." or "The request body is not valid JSON."
caf::expected<nlohmann::json> parse_json_body(const std::string& body);

} // namespace stagehand
