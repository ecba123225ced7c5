// Tests server/security/api_key.hpp: the `api-keys` entry format.
#include <boost/test/unit_test.hpp>

#include "server/security/api_key.hpp"

using stagehand::api_key;

BOOST_AUTO_TEST_SUITE(server_api_key)

BOOST_AUTO_TEST_CASE(entries_name_a_key_a_user_and_maybe_admin) {
  auto plain = api_key::parse("s3cret=alice");
  BOOST_REQUIRE(plain);
  BOOST_CHECK_EQUAL(plain->key, "s3cret");
  BOOST_CHECK_EQUAL(plain->user, "alice");
  BOOST_CHECK(!plain->admin);
  auto admin = api_key::parse("k=a=b=root:admin");
  BOOST_REQUIRE(admin);
  BOOST_CHECK_EQUAL(admin->key, "k");
  BOOST_CHECK_EQUAL(admin->user, "a=b=root");
  BOOST_CHECK(admin->admin);
  for (auto* bad : {"", "=alice", "k=", "k=:admin", "k=alice:root", "a b=c"})
    BOOST_CHECK_MESSAGE(!api_key::parse(bad), bad);
  BOOST_CHECK(stagehand::check_api_keys({"a=x", "b=y:admin"}).empty());
  BOOST_CHECK(!stagehand::check_api_keys({"a=x", "a=y"}).empty());
}

BOOST_AUTO_TEST_SUITE_END()
