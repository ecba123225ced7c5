// Tests server/security/hex.hpp: two lower-case digits a byte, for every byte
// value.
#include <boost/test/unit_test.hpp>

#include "server/security/hex.hpp"

using namespace stagehand;

BOOST_AUTO_TEST_SUITE(server_hex)

BOOST_AUTO_TEST_CASE(each_byte_is_two_lower_case_digits) {
  BOOST_CHECK_EQUAL(to_hex(""), "");
  BOOST_CHECK_EQUAL(to_hex(std::string{"\x00\x01\x7f\x80\xab\xff", 6}),
                    "00017f80abff");
  std::string all;
  for (int b = 0; b < 256; ++b)
    all += static_cast<char>(b);
  auto hex = to_hex(all);
  BOOST_REQUIRE_EQUAL(hex.size(), 512u);
  for (int b = 0; b < 256; ++b)
    BOOST_CHECK_EQUAL(std::stoi(hex.substr(2 * b, 2), nullptr, 16), b);
  BOOST_CHECK_EQUAL(hex.find_first_not_of("0123456789abcdef"),
                    std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
