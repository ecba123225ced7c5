// Tests server/security/first_run_key.hpp: made once with mode 0600, read back
// later, refused when others could read it or it holds no key.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "server/security/api_key.hpp"
#include "server/security/first_run_key.hpp"
#include "server/http/json_response.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

unsigned mode_of(const std::string& path) {
  struct stat st;
  BOOST_REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_first_run_key)

BOOST_AUTO_TEST_CASE(the_first_start_makes_a_private_random_admin_key) {
  temp_data_dir dir;
  // Even under a permissive umask, and in a data dir yet to be made.
  auto old_mask = ::umask(0);
  auto data_dir = (dir.path / "new" / "data").string();
  auto key = first_run_key::load_or_create(data_dir);
  ::umask(old_mask);
  BOOST_REQUIRE_MESSAGE(key, (key ? "" : error_text(key.error())));
  BOOST_CHECK(key->created);
  BOOST_CHECK_EQUAL(key->path, data_dir + "/admin-api-key");
  BOOST_CHECK_EQUAL(mode_of(key->path), 0600u);
  BOOST_CHECK_EQUAL(key->key.size(), 64u);
  BOOST_CHECK_EQUAL(key->key.find_first_not_of("0123456789abcdef"),
                    std::string::npos);
  auto parsed = api_key::parse(key->entry());
  BOOST_REQUIRE(parsed);
  BOOST_CHECK_EQUAL(parsed->key, key->key);
  BOOST_CHECK_EQUAL(parsed->user, "admin");
  BOOST_CHECK(parsed->admin);
  // Another data dir, another key.
  auto other = first_run_key::load_or_create((dir.path / "other").string());
  BOOST_REQUIRE(other);
  BOOST_CHECK_NE(other->key, key->key);
}

BOOST_AUTO_TEST_CASE(later_starts_read_the_same_key) {
  temp_data_dir dir;
  auto first = first_run_key::load_or_create(dir.path.string());
  BOOST_REQUIRE(first);
  auto second = first_run_key::load_or_create(dir.path.string());
  BOOST_REQUIRE(second);
  BOOST_CHECK(!second->created);
  BOOST_CHECK_EQUAL(second->key, first->key);
}

BOOST_AUTO_TEST_CASE(a_readable_or_broken_key_file_is_refused_with_its_path) {
  temp_data_dir dir;
  auto first = first_run_key::load_or_create(dir.path.string());
  BOOST_REQUIRE(first);
  ::chmod(first->path.c_str(), 0644);
  auto loose = first_run_key::load_or_create(dir.path.string());
  BOOST_REQUIRE(!loose);
  BOOST_CHECK_EQUAL(error_text(loose.error()),
                    "The admin key file '" + first->path
                      + "' can be read by other users; run chmod 600 on it, "
                        "or delete it to make a new key.");
  ::chmod(first->path.c_str(), 0600);
  std::ofstream{first->path} << "short\n";
  auto broken = first_run_key::load_or_create(dir.path.string());
  BOOST_REQUIRE(!broken);
  BOOST_CHECK_EQUAL(error_text(broken.error()),
                    "The admin key file '" + first->path
                      + "' holds no key of 64 hex digits; delete it to make "
                        "a new one.");
}

BOOST_AUTO_TEST_SUITE_END()
