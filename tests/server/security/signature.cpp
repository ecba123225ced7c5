// Tests server/security/signature.hpp: the exact signed string (against a value
// from `openssl dgst -sha256 -hmac`), verification, and each way it must fail.
#include <boost/test/unit_test.hpp>

#include "server/http/delivery_errc.hpp"
#include "server/security/signature.hpp"

using namespace stagehand;
using std::chrono::seconds;

namespace {

const std::string secret = "s3cret";
const std::string body = R"({"backgroundOperationId":"x"})";
const std::string stamp = "1700000000";
const std::chrono::system_clock::time_point then{seconds{1700000000}};

/// printf '%s' '1700000000.{"backgroundOperationId":"x"}'
///   | openssl dgst -sha256 -hmac s3cret
const std::string golden
  = "sha256=fb386f99178e6de93ff943b26a035d5e0df44620801d90e86a99d3a187c283d5";

std::string failure(std::string_view key, std::string_view timestamp,
                    std::string_view payload, std::string_view signature,
                    std::chrono::system_clock::time_point now = then) {
  auto err = verify(key, timestamp, payload, signature, now);
  if (!err)
    return "verified";
  BOOST_TEST(is(err, delivery_errc::bad_signature));
  return describe_delivery(err);
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_signature)

BOOST_AUTO_TEST_CASE(signs_timestamp_dot_body) {
  BOOST_TEST(sign(secret, stamp, body) == golden);
  BOOST_TEST(signature_header == "X-Stagehand-Signature");
  BOOST_TEST(timestamp_header == "X-Stagehand-Timestamp");
}

BOOST_AUTO_TEST_CASE(verifies_its_own_signature) {
  BOOST_TEST(failure(secret, stamp, body, golden) == "verified");
  BOOST_TEST(failure(secret, stamp, body, sign(secret, stamp, body))
             == "verified");
  std::string upper = golden;
  for (auto i = std::string{"sha256="}.size(); i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(upper[i]));
  BOOST_TEST(failure(secret, stamp, body, upper) == "verified");
  BOOST_TEST(failure(secret, stamp, "", sign(secret, stamp, "")) == "verified");
}

BOOST_AUTO_TEST_CASE(tampering_breaks_it) {
  const std::string mismatch
    = "The signature does not verify: it does not match the timestamp and "
      "body.";
  BOOST_TEST(failure(secret, stamp, body + " ", golden) == mismatch);
  BOOST_TEST(failure(secret, stamp, R"({"backgroundOperationId":"y"})", golden)
             == mismatch);
  BOOST_TEST(failure(secret, "1700000001", body, golden, then + seconds{1})
             == mismatch);
  BOOST_TEST(failure("other", stamp, body, golden) == mismatch);
  auto flipped = golden;
  flipped.back() = flipped.back() == '5' ? '6' : '5';
  BOOST_TEST(failure(secret, stamp, body, flipped) == mismatch);
}

BOOST_AUTO_TEST_CASE(refuses_stale_and_future_timestamps) {
  BOOST_TEST(failure(secret, stamp, body, golden, then + seconds{300})
             == "verified");
  BOOST_TEST(failure(secret, stamp, body, golden, then + seconds{301})
             == "The signature does not verify: the timestamp is 301 s old, "
                "more than the 300 s allowed.");
  BOOST_TEST(failure(secret, stamp, body, golden, then - seconds{301})
             == "The signature does not verify: the timestamp is -301 s old, "
                "more than the 300 s allowed.");
  BOOST_TEST(
    !verify(secret, stamp, body, golden, then + seconds{3000}, seconds{3600}));
}

BOOST_AUTO_TEST_CASE(refuses_malformed_headers) {
  auto malformed = "The signature does not verify: the signature header must "
                   "be 'sha256=' and 64 hex digits.";
  BOOST_TEST(failure(secret, stamp, body, "") == malformed);
  BOOST_TEST(failure(secret, stamp, body, golden.substr(7)) == malformed);
  BOOST_TEST(failure(secret, stamp, body, "sha1=" + golden.substr(7, 40))
             == malformed);
  BOOST_TEST(failure(secret, stamp, body, golden + "0") == malformed);
  BOOST_TEST(failure(secret, "", body, golden)
             == "The signature does not verify: the timestamp '' is not a "
                "number of seconds.");
  BOOST_TEST(failure(secret, "-5", body, golden).find("not a number")
             != std::string::npos);
  BOOST_TEST(
    failure(secret, "99999999999999999999", body, golden).find("not a number")
    != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
