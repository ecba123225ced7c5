#pragma once

#include <string>
#include <string_view>

#include <caf/expected.hpp>

namespace stagehand {

/// HMAC-SHA256 of `data` under `key`: 32 raw bytes. What signs deliveries
/// and the entity set's `$skiptoken`s, so that only a holder of the key can
/// make one that verifies.
std::string hmac_sha256(std::string_view key, std::string_view data);

/// Whether `a` and `b` are the same bytes, in a time that does not depend
/// on where they first differ, so that checking a MAC tells a forger
/// nothing about how much of it was right.
bool same_mac(std::string_view a, std::string_view b) noexcept;

/// `n` bytes from OpenSSL's random generator, for a key no one may guess.
/// Fails with `caf::sec::runtime_error` if it has none to give.
caf::expected<std::string> random_bytes(std::size_t n);

} // namespace stagehand
