#pragma once

#include <string>

namespace stagehand {

/// What a request's `Prefer` header asks for (RFC 7240): `respond-async`
/// runs the operation in the background, `callback; url="…"` names where
/// its completion goes, and OData's `odata.include-annotations` asks for
/// the labels of the codes beside them.
struct prefer_header {
  bool respond_async = false;
  /// Empty unless a callback preference with a `url` parameter was given.
  std::string callback_url;
  /// The `odata.include-annotations` value as sent, to echo in
  /// `Preference-Applied`; empty if the preference was not given.
  std::string include_annotations;
  /// Whether that value takes in `OData.Community.Display.V1.FormattedValue`:
  /// the name itself, `*`, or a `.*` pattern above it, and no `-` pattern
  /// that takes it out again.
  bool formatted_values = false;

  /// Parses every preference of the header, ignoring ones it does not know,
  /// as RFC 7240 asks. Tokens compare case-insensitively.
  static prefer_header parse(const std::string& value);
};

} // namespace stagehand
