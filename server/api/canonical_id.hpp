#pragma once

#include <string>

namespace stagehand {

/// `given` decoded and in the lower case that ids are stored in: GUIDs
/// compare without case, and the entity key's parentheses may be
/// percent-encoded, so any spelling of a stored id finds it. A malformed
/// escape stays as it is, and so finds nothing.
std::string canonical_id(std::string given);

} // namespace stagehand
