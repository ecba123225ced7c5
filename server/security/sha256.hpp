#pragma once

#include <string>

namespace stagehand {

/// SHA-256 of `data` as lower-case hex: the stored fingerprint of a submit,
/// which an Idempotency-Key replay must match.
std::string sha256_hex(const std::string& data);

} // namespace stagehand
