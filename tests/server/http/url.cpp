// Tests server/http/url.hpp: the parts of good URLs, and a refusal that names
// the problem for each kind of bad one.
#include <boost/test/unit_test.hpp>

#include "server/http/delivery_errc.hpp"
#include "server/http/url.hpp"

using namespace stagehand;

namespace {

/// The rendered error of parsing `text`, or "parsed" if it parsed.
std::string refusal(const std::string& text) {
  auto result = url::parse(text);
  if (result)
    return "parsed";
  BOOST_TEST(is(result.error(), delivery_errc::bad_url));
  return describe_delivery(result.error());
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_url)

BOOST_AUTO_TEST_CASE(splits_host_port_and_target) {
  auto u = url::parse("http://127.0.0.1:8081/hooks/done?x=1");
  BOOST_REQUIRE(u);
  BOOST_TEST(u->scheme == "http");
  BOOST_TEST(u->host == "127.0.0.1");
  BOOST_TEST(u->port == 8081);
  BOOST_TEST(u->target == "/hooks/done?x=1");
  BOOST_TEST(u->authority() == "127.0.0.1:8081");
  BOOST_TEST(u->str() == "http://127.0.0.1:8081/hooks/done?x=1");
}

BOOST_AUTO_TEST_CASE(defaults_port_80_and_target_slash) {
  auto u = url::parse("HTTP://LocalHost");
  BOOST_REQUIRE(u);
  BOOST_TEST(u->scheme == "http");
  BOOST_TEST(u->host == "localhost");
  BOOST_TEST(u->port == 80);
  BOOST_TEST(u->target == "/");
  auto q = url::parse("http://localhost?a=b");
  BOOST_REQUIRE(q);
  BOOST_TEST(q->target == "/?a=b");
}

BOOST_AUTO_TEST_CASE(https_defaults_port_443) {
  auto u = url::parse("HTTPS://Hooks.Example.com/cb?x=1");
  BOOST_REQUIRE(u);
  BOOST_TEST(u->scheme == "https");
  BOOST_TEST(u->secure());
  BOOST_TEST(u->host == "hooks.example.com");
  BOOST_TEST(u->port == 443);
  BOOST_TEST(u->target == "/cb?x=1");
  BOOST_TEST(u->str() == "https://hooks.example.com:443/cb?x=1");
  auto named = url::parse("https://[::1]:8443");
  BOOST_REQUIRE(named);
  BOOST_TEST(named->port == 8443);
  BOOST_TEST(named->str() == "https://[::1]:8443/");
  BOOST_TEST(!url::parse("http://localhost/")->secure());
}

BOOST_AUTO_TEST_CASE(takes_ipv6_literals_in_brackets) {
  auto u = url::parse("http://[::1]:9000/cb");
  BOOST_REQUIRE(u);
  BOOST_TEST(u->host == "::1");
  BOOST_TEST(u->port == 9000);
  BOOST_TEST(u->authority() == "[::1]:9000");
  auto bare = url::parse("http://[::1]");
  BOOST_REQUIRE(bare);
  BOOST_TEST(bare->port == 80);
}

BOOST_AUTO_TEST_CASE(refuses_bad_urls_naming_the_problem) {
  BOOST_TEST(refusal("") == "The URL '' is not valid: it is empty.");
  BOOST_TEST(refusal("localhost:8080/cb")
             == "The URL 'localhost:8080/cb' is not valid: it must start "
                "with http:// or https://.");
  BOOST_TEST(refusal("ftp://localhost/cb")
             == "The URL 'ftp://localhost/cb' is not valid: the scheme must "
                "be http or https.");
  BOOST_TEST(refusal("https://user@localhost/cb")
             == "The URL 'https://user@localhost/cb' is not valid: user info "
                "(name@host) is not allowed.");
  BOOST_TEST(refusal("http:///cb")
             == "The URL 'http:///cb' is not valid: the host is missing.");
  BOOST_TEST(refusal("http://localhost:99999/")
             == "The URL 'http://localhost:99999/' is not valid: the port "
                "'99999' is not a number from 1 to 65535.");
  BOOST_TEST(refusal("http://localhost:0/").find("the port '0'")
             != std::string::npos);
  BOOST_TEST(refusal("http://localhost:x1/").find("the port 'x1'")
             != std::string::npos);
  BOOST_TEST(refusal("http://localhost:/").find("the port is empty")
             != std::string::npos);
  BOOST_TEST(refusal("http://user@10.0.0.1/")
             == "The URL 'http://user@10.0.0.1/' is not valid: user info "
                "(name@host) is not allowed.");
  BOOST_TEST(refusal("http://localhost/cb#frag").find("fragment")
             != std::string::npos);
  BOOST_TEST(refusal("http://local_host/").find("not a valid host name")
             != std::string::npos);
  BOOST_TEST(refusal("http://a..b/").find("not a valid host name")
             != std::string::npos);
  BOOST_TEST(refusal("http://[::1/").find("no closing ]") != std::string::npos);
  BOOST_TEST(refusal("http://[::1%eth0]/").find("not a valid IPv6 address")
             != std::string::npos);
  BOOST_TEST(refusal("http://[nope]/").find("not a valid IPv6 address")
             != std::string::npos);
  BOOST_TEST(refusal("http://[::1]x/").find("after the IPv6 address")
             != std::string::npos);
  BOOST_TEST(refusal("http://" + std::string(3000, 'a') + "/")
               .find("longer than 2048 characters")
             != std::string::npos);
}

BOOST_AUTO_TEST_CASE(refuses_characters_that_could_split_the_request) {
  for (auto text : {"http://localhost/a b", "http://localhost/a\r\nX-Evil: 1",
                    "http://localhost/\"quoted\"", "http://localhost/\x7f",
                    "http://localhost/caf\xc3\xa9"})
    BOOST_TEST(
      refusal(text).find("must be percent-encoded") != std::string::npos, text);
}

BOOST_AUTO_TEST_SUITE_END()
