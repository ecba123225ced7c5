#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

namespace stagehand {

/// A request's query string as its `name=value` pairs, in order, each
/// percent-decoded (`+` is a space), so that every route reads the same
/// query string the same way. Empty parts (`a=1&&b=2`) are skipped; a part
/// without `=` has an empty value.
using query_parameters = std::vector<std::pair<std::string, std::string>>;

/// Reads `text` (without `?`). Fails with `caf::sec::invalid_argument`,
/// "The query string is not validly encoded.", on a `%` that is not
/// followed by two hex digits.
caf::expected<query_parameters> parse_query(std::string_view text);

/// Percent-decodes `in` into `out`; with `plus_is_space`, `+` is a space,
/// as in a query string. Returns false on a malformed escape.
bool percent_decode(std::string_view in, std::string& out,
                    bool plus_is_space);

/// Reads a query value that must be a whole decimal number from 0 to `max`,
/// refusing it before a digit would take it past `max`, so no value wraps.
bool parse_decimal(const std::string& text, std::int64_t max,
                   std::int64_t& out);

/// `in` with every byte but letters, digits and `-_.~` percent-encoded: safe
/// as a query value in a link the server writes.
std::string percent_encode(std::string_view in);

} // namespace stagehand
