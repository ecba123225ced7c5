#pragma once

#include <string>

namespace stagehand {

/// What a submit's `Prefer` header asks for (RFC 7240): `respond-async`
/// runs the operation in the background, and `callback; url="…"` names
/// where its completion goes.
struct prefer_header {
  bool respond_async = false;
  /// Empty unless a callback preference with a `url` parameter was given.
  std::string callback_url;

  /// Parses every preference of the header, ignoring ones it does not know,
  /// as RFC 7240 asks. Tokens compare case-insensitively.
  static prefer_header parse(const std::string& value);
};

} // namespace stagehand
