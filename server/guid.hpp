#pragma once

#include <string>

namespace stagehand {

/// A new random (version 4) GUID in lower case, `8-4-4-4-12` hex digits:
/// operation and webhook ids, which must not be guessable.
std::string make_guid();

/// True if `text` has the GUID form, in either case. Ids that do not are
/// answered like unknown ones, without touching the database.
bool is_guid(const std::string& text) noexcept;

} // namespace stagehand
