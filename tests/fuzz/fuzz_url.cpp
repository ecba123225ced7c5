// libFuzzer target: callback and webhook URLs (server/url).
//
// Any bytes parse or fail without a crash. A failure carries the bad_url
// error and a text; a URL that parses is http or https, has a target
// starting with '/', a port from 1 to 65535, and its normal form parses back
// to the same URL.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "server/http/delivery_errc.hpp"
#include "server/http/url.hpp"

namespace {

[[noreturn]] void fail(const std::string& input, const char* why) {
  std::fprintf(stderr, "url '%s': %s\n", input.c_str(), why);
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using stagehand::url;
  auto text = std::string{reinterpret_cast<const char*>(data), size};
  auto parsed = url::parse(text);
  if (!parsed) {
    if (!is(parsed.error(), stagehand::delivery_errc::bad_url))
      fail(text, "refused with an error other than bad_url");
    if (stagehand::describe_delivery(parsed.error()).empty())
      fail(text, "refused without a text");
    return 0;
  }
  if (parsed->scheme != "http" && parsed->scheme != "https")
    fail(text, "parsed with a scheme other than http or https");
  if (parsed->target.empty() || parsed->target.front() != '/')
    fail(text, "parsed with a target that does not start with '/'");
  if (parsed->port == 0 || parsed->host.empty())
    fail(text, "parsed with port 0 or no host");
  auto again = url::parse(parsed->str());
  if (!again)
    fail(text, "its normal form does not parse");
  if (again->scheme != parsed->scheme || again->host != parsed->host
      || again->port != parsed->port || again->target != parsed->target)
    fail(text, "its normal form parses to a different URL");
  return 0;
}
