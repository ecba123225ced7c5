// Tests server/security/sha256.hpp against the FIPS 180-2 test vectors.
#include <boost/test/unit_test.hpp>

#include "server/security/sha256.hpp"

using namespace stagehand;

BOOST_AUTO_TEST_SUITE(server_sha256)

BOOST_AUTO_TEST_CASE(matches_the_published_vectors) {
  BOOST_CHECK_EQUAL(
    sha256_hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_CHECK_EQUAL(
    sha256_hex(""),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_SUITE_END()
