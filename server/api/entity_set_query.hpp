#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "server/api/skiptoken.hpp"
#include "server/operations/entity_query.hpp"

namespace stagehand {

/// The query options of `GET /api/data/v9.2/backgroundoperations`, read
/// strictly: OData's `$select`, `$filter`, `$orderby`, `$top`, `$skiptoken`
/// and `$count`, each at most once, and nothing else. Whatever lies outside
/// this subset is refused before anything is looked up, with a sentence
/// naming the option and what it accepts, rather than ignored: a client that
/// asked for `$expand` or `$skip` must not get an answer that looks like
/// what it asked for.
struct entity_set_query {
  /// Rows on a page when `$top` is not given, and the most `$top` may ask.
  static constexpr std::size_t default_top = 100;
  static constexpr std::size_t max_top = 1000;

  /// The page, its filter already SQL; `run_as` is left to the caller.
  entity_query query;

  /// `$select`'s columns in the order given; empty for every column.
  std::vector<std::string> select;

  /// `$count=true`.
  bool count = false;

  /// The options again, encoded, each followed by `&`, `$skiptoken` left
  /// out: the start of the query string of `@odata.nextLink`.
  std::string next_params;

  /// What this query's skiptokens are bound to: its `$filter` and
  /// `$orderby` as given.
  std::string binding;

  /// Reads `text` (the query string, without `?`); a `$skiptoken` must be
  /// one of `tokens`. Fails with `caf::sec::invalid_argument` whose context
  /// names the option and what it accepts.
  static caf::expected<entity_set_query> parse(const std::string& text,
                                               const skiptoken& tokens);
};

} // namespace stagehand
