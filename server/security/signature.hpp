#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <caf/error.hpp>

namespace stagehand {

// Every callback and webhook POST carries two headers, so that its receiver
// can tell that the server sent it and that it is not a replay:
//
//   X-Stagehand-Timestamp: 1700000000
//   X-Stagehand-Signature: sha256=<64 lower-case hex digits>
//
// The timestamp is the sending time in seconds since the Unix epoch, decimal.
// The signature is HMAC-SHA256, keyed with the configured secret, over the
// exact bytes
//
//   <timestamp header value> "." <request body>
//
// so that an attacker who replays a body with a fresh timestamp breaks the
// signature, and one who replays it whole is refused as stale. Each retry of
// a delivery is signed anew with its own timestamp.

inline constexpr std::string_view signature_header = "X-Stagehand-Signature";
inline constexpr std::string_view timestamp_header = "X-Stagehand-Timestamp";

/// How far a timestamp may lie from the receiver's clock by default.
inline constexpr std::chrono::seconds default_signature_tolerance{300};

/// The value of the signature header: "sha256=" and the hex HMAC.
std::string sign(std::string_view secret, std::string_view timestamp,
                 std::string_view body);

/// What a receiver does with the two headers and the body. Fails with
/// `delivery_errc::bad_signature` naming the reason: a malformed header, a
/// signature that does not match (a changed body, timestamp or secret), or a
/// timestamp more than `tolerance` away from `now`. The comparison takes the
/// same time however many digits match.
caf::error verify(std::string_view secret, std::string_view timestamp,
                  std::string_view body, std::string_view signature,
                  std::chrono::system_clock::time_point now,
                  std::chrono::seconds tolerance = default_signature_tolerance);

} // namespace stagehand
