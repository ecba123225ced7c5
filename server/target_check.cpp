#include "server/target_check.hpp"

#include <caf/sec.hpp>

namespace stagehand {

caf::error check_url_syntax(const std::string& url) {
  auto fail = [&] {
    return caf::make_error(caf::sec::invalid_argument,
                           "'" + url + "' is not an absolute http(s) URL.");
  };
  std::string::size_type rest = 0;
  if (url.rfind("http://", 0) == 0)
    rest = 7;
  else if (url.rfind("https://", 0) == 0)
    rest = 8;
  else
    return fail();
  auto host_end = url.find_first_of("/?#", rest);
  auto authority = url.substr(rest, host_end == std::string::npos
                                      ? std::string::npos
                                      : host_end - rest);
  if (authority.empty() || authority.front() == ':')
    return fail();
  for (auto c : url)
    if (c <= ' ' || c == 127)
      return fail();
  return caf::none;
}

} // namespace stagehand
