#include "server/api/skiptoken.hpp"

#include <caf/sec.hpp>

#include "server/security/hmac_sha256.hpp"

namespace stagehand {

namespace {

constexpr char alphabet[]
  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding.
std::string base64url(const std::string& in) {
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    bits = (bits << 8) | c;
    count += 8;
    while (count >= 6) {
      count -= 6;
      out += alphabet[(bits >> count) & 0x3F];
    }
  }
  if (count > 0)
    out += alphabet[(bits << (6 - count)) & 0x3F];
  return out;
}

/// Base64url without padding, strictly: the bits left over after the last
/// byte must be zero, so that no two texts decode to the same bytes and a
/// token altered anywhere differs from the one the server made.
bool from_base64url(const std::string& in, std::string& out) {
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : in) {
    auto p = std::char_traits<char>::find(alphabet, 64, c);
    if (p == nullptr)
      return false;
    bits = (bits << 6) | static_cast<std::uint32_t>(p - alphabet);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  return count < 6 && (bits & ((1u << count) - 1)) == 0;
}

std::string payload(const entity_query::position& at) {
  return std::to_string(at.key) + "." + std::to_string(at.seq);
}

/// Bytes of the MAC a token carries: 128 bits are as hard to forge as the
/// key is to guess, and keep links short.
constexpr std::size_t mac_bytes = 16;

/// Bytes of the random key.
constexpr std::size_t key_bytes = 32;

/// Reads a whole number, negative only if `may_be_negative`.
bool whole(const std::string& text, bool may_be_negative, std::int64_t& out) {
  std::size_t used = 0;
  try {
    out = std::stoll(text, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == text.size() && !text.empty() && text[0] != '+'
         && (may_be_negative || out >= 0);
}

} // namespace

skiptoken::skiptoken(std::string key) : key_(std::move(key)) {}

caf::expected<skiptoken> skiptoken::with_random_key() {
  auto key = random_bytes(key_bytes);
  if (!key)
    return key.error();
  return skiptoken{std::move(*key)};
}

std::string skiptoken::mac(const std::string& payload,
                           const std::string& binding) const {
  // The newline keeps a payload and a binding from sliding into each other.
  return hmac_sha256(key_, payload + "\n" + binding).substr(0, mac_bytes);
}

std::string skiptoken::encode(const entity_query::position& at,
                              const std::string& binding) const {
  auto text = payload(at);
  return base64url(text + "." + mac(text, binding));
}

caf::expected<entity_query::position>
skiptoken::decode(const std::string& text, const std::string& binding) const {
  auto refused = caf::make_error(
    caf::sec::invalid_argument,
    "The query option '$skiptoken' is not one this server issued for this "
    "query; take it from '@odata.nextLink' unchanged, with the same $filter "
    "and $orderby.");
  std::string raw;
  if (!from_base64url(text, raw))
    return refused;
  // The MAC's bytes may hold any value, a dot too: the first two dots are
  // the payload's and the separator.
  auto first = raw.find('.');
  auto second = raw.find('.', first == std::string::npos ? 0 : first + 1);
  if (second == std::string::npos)
    return refused;
  entity_query::position at;
  if (!whole(raw.substr(0, first), true, at.key)
      || !whole(raw.substr(first + 1, second - first - 1), false, at.seq)
      || !same_mac(raw.substr(second + 1), mac(payload(at), binding)))
    return refused;
  return at;
}

} // namespace stagehand
