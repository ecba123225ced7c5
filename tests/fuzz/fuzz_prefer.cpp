// libFuzzer target: the `Prefer` header of a submit (server/prefer_header).
//
// Any bytes parse without a crash, and what they parse to survives a round
// trip: writing the result back as a header (the callback URL as a quoted
// string) and parsing that gives the same result.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "server/http/prefer_header.hpp"

namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + '"';
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using stagehand::prefer_header;
  auto value = std::string{reinterpret_cast<const char*>(data), size};
  auto first = prefer_header::parse(value);
  std::string again;
  if (first.respond_async)
    again = "respond-async";
  if (!first.callback_url.empty())
    again += ", callback; url=" + quoted(first.callback_url);
  auto second = prefer_header::parse(again);
  if (second.respond_async != first.respond_async
      || second.callback_url != first.callback_url) {
    std::fprintf(stderr,
                 "Prefer round trip differs: respond_async %d -> %d, "
                 "url '%s' -> '%s' (via '%s')\n",
                 first.respond_async, second.respond_async,
                 first.callback_url.c_str(), second.callback_url.c_str(),
                 again.c_str());
    std::abort();
  }
  return 0;
}
