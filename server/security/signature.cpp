#include "server/security/signature.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include <caf/make_message.hpp>

#include "server/http/delivery_errc.hpp"
#include "server/security/hex.hpp"
#include "server/security/hmac_sha256.hpp"

namespace stagehand {

namespace {

constexpr std::string_view prefix = "sha256=";

/// Hex digits of a SHA-256 HMAC.
constexpr std::size_t hex_size = 64;

caf::error bad(std::string why) {
  return make_error(delivery_errc::bad_signature,
                    caf::make_message(std::move(why)));
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isdigit(c);
  });
}

} // namespace

std::string sign(std::string_view secret, std::string_view timestamp,
                 std::string_view body) {
  std::string material;
  material.reserve(timestamp.size() + 1 + body.size());
  material.append(timestamp).append(".").append(body);
  return std::string{prefix} + to_hex(hmac_sha256(secret, material));
}

caf::error verify(std::string_view secret, std::string_view timestamp,
                  std::string_view body, std::string_view signature,
                  std::chrono::system_clock::time_point now,
                  std::chrono::seconds tolerance) {
  if (timestamp.empty() || timestamp.size() > 18 || !all_digits(timestamp))
    return bad("the timestamp '" + std::string{timestamp}
               + "' is not a number of seconds");
  if (signature.size() != prefix.size() + hex_size
      || signature.substr(0, prefix.size()) != prefix)
    return bad("the signature header must be 'sha256=' and 64 hex digits");
  std::string given{signature};
  std::transform(given.begin(), given.end(), given.begin(),
                 [](unsigned char c) {
                   return static_cast<char>(std::tolower(c));
                 });
  auto expected = sign(secret, timestamp, body);
  if (!same_mac(given, expected))
    return bad("it does not match the timestamp and body");
  auto sent = std::chrono::seconds{std::stoll(std::string{timestamp})};
  auto age
    = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch())
      - sent;
  if (age > tolerance || -age > tolerance)
    return bad("the timestamp is " + std::to_string(age.count())
               + " s old, more than the " + std::to_string(tolerance.count())
               + " s allowed");
  return {};
}

} // namespace stagehand
