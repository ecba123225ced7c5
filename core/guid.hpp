#pragma once

#include <string>

namespace stagehand {

/// A random (version 4) GUID in its lower-case 8-4-4-4-12 form, for session
/// unique ids and for operation and webhook ids, which must not be
/// guessable.
std::string make_guid();

/// True if `text` has the 8-4-4-4-12 hexadecimal form of a GUID.
bool is_guid(const std::string& text) noexcept;

} // namespace stagehand
