#pragma once

#include <string>

#include <caf/expected.hpp>

#include "server/operations/entity_query.hpp"

namespace stagehand {

/// The `$skiptoken` of an entity set's `@odata.nextLink`: the position of a
/// page's last row, opaque to clients (base64url) and checked on return. The
/// check is a digest of the position and of the query it was made for (its
/// `$filter` and `$orderby`), so that an edited token, or one carried over
/// to another query, is refused rather than silently starting elsewhere. It
/// is not a secret: a token grants nothing, since every page is restricted
/// to the caller's rows anyway.
struct skiptoken {
  /// The token for `at` in the query that `binding` names.
  static std::string encode(const entity_query::position& at,
                            const std::string& binding);

  /// The position in `text`, if it is a token that `encode` made with the
  /// same `binding`. Fails with `caf::sec::invalid_argument` saying so.
  static caf::expected<entity_query::position>
  decode(const std::string& text, const std::string& binding);
};

} // namespace stagehand
