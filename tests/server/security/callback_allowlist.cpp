// Tests server/security/callback_allowlist.hpp: loopback by default, networks
// and names from configuration, every resolved address checked, and refusals
// that name the URL and the reason. Names resolve through a fake resolver,
// except `localhost`, which the system resolves from /etc/hosts.
#include <boost/test/unit_test.hpp>

#include <boost/asio/error.hpp>

#include "server/security/callback_allowlist.hpp"
#include "server/http/delivery_errc.hpp"

using namespace stagehand;
using address = callback_allowlist::address;

namespace {

address ip(const char* text) {
  return boost::asio::ip::make_address(text);
}

/// Answers for a few made-up names; any other name does not exist.
std::vector<address> fake_dns(const std::string& host,
                              boost::system::error_code& ec) {
  if (host == "loopback.test")
    return {ip("127.0.0.1"), ip("::1")};
  if (host == "localtest.example") // looks local, one address is not
    return {ip("127.0.0.1"), ip("10.0.0.7")};
  if (host == "mapped.test")
    return {ip("::ffff:10.0.0.8")};
  if (host == "hooks.internal")
    return {ip("10.1.2.3")};
  ec = boost::asio::error::host_not_found;
  return {};
}

callback_allowlist make(const std::vector<std::string>& entries) {
  auto result = callback_allowlist::make(entries, fake_dns);
  // The message is evaluated even on success, so it must not touch error().
  BOOST_REQUIRE_MESSAGE(result,
                        (result ? "" : describe_delivery(result.error())));
  return std::move(*result);
}

const callback_allowlist& fake_default() {
  static const auto list = make({"127.0.0.0/8", "::1", "localhost"});
  return list;
}

std::string verdict(const callback_allowlist& list, const std::string& url) {
  auto err = list.check(url);
  return err ? describe_delivery(err) : "allowed";
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_callback_allowlist)

BOOST_AUTO_TEST_CASE(default_allows_loopback) {
  callback_allowlist list;
  for (auto url : {"http://127.0.0.1:8080/cb", "http://127.9.8.7/cb",
                   "http://[::1]:8080/cb", "http://localhost:8080/cb",
                   "http://[::ffff:127.0.0.1]/cb"})
    BOOST_TEST(verdict(list, url) == "allowed", url);
}

BOOST_AUTO_TEST_CASE(default_refuses_other_addresses) {
  callback_allowlist list;
  BOOST_TEST(verdict(list, "http://10.0.0.1:8080/cb")
             == "The URL 'http://10.0.0.1:8080/cb' is not allowed: 10.0.0.1 "
                "is not in the callback allowlist.");
  BOOST_TEST(is(list.check("http://10.0.0.1/"), delivery_errc::target_refused));
  for (auto url :
       {"http://0.0.0.0/", "http://169.254.169.254/latest",
        "http://[::ffff:10.0.0.1]/", "http://[::2]/", "http://128.0.0.1/"})
    BOOST_TEST(is(list.check(url), delivery_errc::target_refused), url);
}

BOOST_AUTO_TEST_CASE(refuses_a_name_if_any_address_is_outside) {
  BOOST_TEST(verdict(fake_default(), "http://localtest.example:9000/cb")
             == "The URL 'http://localtest.example:9000/cb' is not allowed: "
                "localtest.example resolves to 10.0.0.7, which is not in the "
                "callback allowlist.");
  BOOST_TEST(is(fake_default().check("http://mapped.test/"),
                delivery_errc::target_refused));
  BOOST_TEST(verdict(fake_default(), "http://loopback.test/") == "allowed");
}

BOOST_AUTO_TEST_CASE(resolve_returns_the_checked_addresses) {
  auto target = fake_default().resolve("http://loopback.test:81/x");
  BOOST_REQUIRE(target);
  BOOST_TEST(target->location.port == 81);
  BOOST_TEST(target->location.target == "/x");
  BOOST_REQUIRE(target->addresses.size() == 2u);
  BOOST_TEST(target->addresses[0] == ip("127.0.0.1"));
  BOOST_TEST(target->addresses[1] == ip("::1"));
  auto literal = fake_default().resolve("http://127.0.0.2/");
  BOOST_REQUIRE(literal);
  BOOST_TEST((literal->addresses == std::vector<address>{ip("127.0.0.2")}));
}

BOOST_AUTO_TEST_CASE(a_listed_name_is_trusted) {
  auto list = make({"hooks.internal"});
  BOOST_TEST(verdict(list, "http://hooks.internal/cb") == "allowed");
  // Its address alone is not listed.
  BOOST_TEST(
    is(list.check("http://10.1.2.3/cb"), delivery_errc::target_refused));
  BOOST_TEST(
    is(list.check("http://127.0.0.1/cb"), delivery_errc::target_refused));
}

BOOST_AUTO_TEST_CASE(networks_match_by_prefix) {
  auto list = make({"10.1.0.0/16", "192.168.1.7", "fd00::/8", "10.9.9.9/0"});
  BOOST_TEST(verdict(list, "http://10.1.255.1/") == "allowed");
  BOOST_TEST(verdict(list, "http://192.168.1.7/") == "allowed");
  BOOST_TEST(verdict(list, "http://[fd12::1]/") == "allowed");
  BOOST_TEST(
    is(list.check("http://[fe00::1]/"), delivery_errc::target_refused));
  auto narrow = make({"10.1.0.0/16", "192.168.1.7", "172.16.0.0/12"});
  BOOST_TEST(
    is(narrow.check("http://10.2.0.1/"), delivery_errc::target_refused));
  BOOST_TEST(
    is(narrow.check("http://192.168.1.8/"), delivery_errc::target_refused));
  BOOST_TEST(verdict(narrow, "http://172.31.0.1/") == "allowed");
  BOOST_TEST(
    is(narrow.check("http://172.32.0.1/"), delivery_errc::target_refused));
}

BOOST_AUTO_TEST_CASE(an_unknown_name_is_refused) {
  BOOST_TEST(is(fake_default().check("http://nowhere.test/"),
                delivery_errc::unresolvable_host));
  BOOST_TEST(
    verdict(fake_default(), "http://nowhere.test/")
      .find("The host 'nowhere.test' of the URL 'http://nowhere.test/' "
            "cannot be resolved: ")
    == 0u);
}

BOOST_AUTO_TEST_CASE(a_bad_url_is_refused) {
  BOOST_TEST(is(fake_default().check("http://"), delivery_errc::bad_url));
  BOOST_TEST(
    is(fake_default().check("ftp://localhost/"), delivery_errc::bad_url));
}

BOOST_AUTO_TEST_CASE(https_urls_pass_the_same_checks_as_http) {
  BOOST_TEST(verdict(fake_default(), "https://127.0.0.1:8443/cb") == "allowed");
  BOOST_TEST(verdict(fake_default(), "https://loopback.test/") == "allowed");
  BOOST_TEST(is(fake_default().check("https://10.0.0.1/"),
                delivery_errc::target_refused));
  BOOST_TEST(is(fake_default().check("https://localtest.example/"),
                delivery_errc::target_refused));
  BOOST_TEST(is(fake_default().check("https://nowhere.test/"),
                delivery_errc::unresolvable_host));
  auto target = fake_default().resolve("https://loopback.test/cb");
  BOOST_REQUIRE(target);
  BOOST_TEST(target->location.port == 443);
  BOOST_TEST(target->addresses.size() == 2u);
}

BOOST_AUTO_TEST_CASE(bad_entries_are_refused_by_name) {
  auto refusal = [](std::string entry) {
    auto result = callback_allowlist::make({"::1", entry});
    BOOST_REQUIRE(!result);
    BOOST_TEST(is(result.error(), delivery_errc::bad_allowlist_entry));
    return describe_delivery(result.error());
  };
  BOOST_TEST(refusal("10.0.0.0/33")
             == "The callback allowlist entry '10.0.0.0/33' is not valid: "
                "the prefix length must be a number from 0 to 32.");
  BOOST_TEST(refusal("::/129").find("from 0 to 128") != std::string::npos);
  BOOST_TEST(refusal("10.0.0.0/").find("prefix length") != std::string::npos);
  BOOST_TEST(refusal("").find("it is empty") != std::string::npos);
  for (auto entry : {"localhost:8080", "Hooks.Example", "a b", "x/8", "[::1]",
                     "http://localhost/"})
    BOOST_TEST(
      refusal(entry).find("neither an IP address") != std::string::npos, entry);
}

BOOST_AUTO_TEST_SUITE_END()
