#pragma once

#include <string>

#include <caf/expected.hpp>

#include "server/operations/entity_query.hpp"

namespace stagehand {

/// The `$skiptoken`s of an entity set's `@odata.nextLink`: the position of a
/// page's last row, opaque to clients (base64url), with an HMAC-SHA256 of the
/// position and of the query it was made for (its `$filter` and
/// `$orderby`), under a key only the server holds. So a token that was
/// forged, edited, or carried over to another query is refused rather than
/// silently starting elsewhere. A token grants nothing more than a position:
/// every page is restricted to the caller's rows anyway.
class skiptoken {
public:
  /// Tokens under `key`.
  explicit skiptoken(std::string key);

  /// Tokens under a key made at random, once per server start: tokens then
  /// do not survive a restart, which costs a client only a fresh first page.
  /// Fails if OpenSSL has no random bytes.
  static caf::expected<skiptoken> with_random_key();

  /// The token for `at` in the query that `binding` names.
  std::string encode(const entity_query::position& at,
                     const std::string& binding) const;

  /// The position in `text`, if it is a token that `encode` made with this
  /// key and the same `binding`. Fails with `caf::sec::invalid_argument`
  /// naming `$skiptoken`.
  caf::expected<entity_query::position>
  decode(const std::string& text, const std::string& binding) const;

private:
  /// The MAC of `payload` in the query that `binding` names.
  std::string mac(const std::string& payload, const std::string& binding) const;

  std::string key_;
};

} // namespace stagehand
