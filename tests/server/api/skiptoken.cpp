// Tests server/api/skiptoken.hpp: a token carries a position and an
// HMAC-SHA256 under the server's key, so that only the server can make one.
#include <boost/test/unit_test.hpp>

#include <string>

#include "server/api/skiptoken.hpp"
#include "server/http/json_response.hpp"
#include "server/security/sha256.hpp"

using namespace stagehand;

namespace {

const std::string binding = "retrycount eq 0\ncreatedon desc";

/// Base64url without padding, as tokens are written.
std::string base64url(const std::string& in) {
  static const char* alphabet
    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (unsigned char c : in) {
    bits = (bits << 8) | c;
    count += 8;
    for (; count >= 6; count -= 6)
      out += alphabet[(bits >> (count - 6)) & 0x3F];
  }
  if (count > 0)
    out += alphabet[(bits << (6 - count)) & 0x3F];
  return out;
}

bool refused(const caf::expected<entity_query::position>& at) {
  return !at
         && error_text(at.error()).find("'$skiptoken'") != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_skiptoken)

BOOST_AUTO_TEST_CASE(a_token_gives_back_its_position_in_its_query_only) {
  auto tokens = skiptoken::with_random_key();
  BOOST_REQUIRE(tokens);
  auto token = tokens->encode({1796464800000, 42}, binding);
  auto at = tokens->decode(token, binding);
  BOOST_REQUIRE(at);
  BOOST_CHECK_EQUAL(at->key, 1796464800000);
  BOOST_CHECK_EQUAL(at->seq, 42);
  auto unfinished = tokens->decode(tokens->encode({-1, 7}, binding), binding);
  BOOST_REQUIRE(unfinished);
  BOOST_CHECK_EQUAL(unfinished->key, -1);
  BOOST_CHECK(
    refused(tokens->decode(token, "retrycount eq 1\ncreatedon desc")));
  BOOST_CHECK(refused(tokens->decode("", binding)));
  BOOST_CHECK(refused(tokens->decode("!!", binding)));
}

BOOST_AUTO_TEST_CASE(a_token_altered_in_any_character_is_refused) {
  auto tokens = skiptoken::with_random_key();
  BOOST_REQUIRE(tokens);
  const std::string alphabet
    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // Payloads of three lengths, so that the last character carries each
  // number of unused bits; every other character at every place.
  for (auto seq : {1, 12, 123}) {
    auto token = tokens->encode({1796464800000, seq}, binding);
    std::size_t taken = 0;
    for (std::size_t i = 0; i < token.size(); ++i)
      for (auto c : alphabet) {
        if (c == token[i])
          continue;
        auto altered = token;
        altered[i] = c;
        if (!refused(tokens->decode(altered, binding)))
          ++taken;
      }
    BOOST_CHECK_MESSAGE(taken == 0,
                        token << ": " << taken << " altered tokens were taken");
  }
}

BOOST_AUTO_TEST_CASE(only_the_key_that_made_a_token_takes_it) {
  auto tokens = skiptoken::with_random_key();
  auto other = skiptoken::with_random_key();
  BOOST_REQUIRE(tokens && other);
  // Another key: another server, or this one after a restart.
  BOOST_CHECK(refused(other->decode(tokens->encode({5, 6}, binding), binding)));
  // A token forged with a digest anyone can compute, as tokens once were.
  std::string payload = "0.1";
  auto digest = sha256_hex(payload + "\n" + binding).substr(0, 16);
  BOOST_CHECK(
    refused(tokens->decode(base64url(payload + "." + digest), binding)));
  // Nor does a key that is known make tokens this one takes.
  skiptoken known{"key"};
  BOOST_CHECK(refused(tokens->decode(known.encode({0, 1}, binding), binding)));
  BOOST_CHECK(known.decode(known.encode({0, 1}, binding), binding));
}

BOOST_AUTO_TEST_SUITE_END()
