#pragma once

#include <string>
#include <string_view>

namespace stagehand {

/// `bytes` as lower-case hex, two digits a byte: how digests, signatures and
/// generated secrets are written out.
std::string to_hex(std::string_view bytes);

} // namespace stagehand
