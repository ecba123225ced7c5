#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "server/odata/entity_column.hpp"
#include "server/odata/filter_node.hpp"

namespace stagehand {

/// The longest `$filter` read, in bytes, and the deepest nesting of
/// parentheses and `not`: bounds that keep the parser's recursion and the
/// SQL it leads to small whatever a client sends.
inline constexpr std::size_t max_filter_length = 2048;
inline constexpr std::size_t max_filter_depth = 32;

/// Parses the subset of OData's `$filter` that the entity sets take, against
/// the entity's `columns` (which must outlive the tree); the grammar is at
/// the top of filter_grammar.cpp. Fails with `caf::sec::invalid_argument`
/// whose context is a sentence naming the problem: an unknown column, an
/// unsupported function or operator, a malformed literal, a literal of the
/// wrong type, too deep a nesting or too long a text.
caf::expected<filter_node>
parse_filter(std::string_view text, const std::vector<entity_column>& columns);

} // namespace stagehand
