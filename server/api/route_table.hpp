#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/security/api_key_ring.hpp"
#include "server/http/http_metrics.hpp"
#include "server/http/request_handler.hpp"
#include "server/api/route.hpp"

namespace stagehand {

/// Routes each request to the one entry whose method and pattern it matches,
/// and lets it through only with the caller the entry asks for. All routing
/// and every key check happen here, in one place, against one declarative
/// list; handlers never look at the path or the key.
///
/// Paths match exactly and case-sensitively. A path that is not canonical,
/// one that is percent-encoded (outside a function call's parentheses at its
/// end, which no route reads), has an empty segment (`//`) or a dot segment
/// (`/./`, `/../`), or does not start with `/`, answers 404 naming the
/// problem: it reaches no handler, so no second spelling of a path can skip
/// the check that the first one gets. A known path with another method
/// answers 405 with `Allow`; an unknown one 404. Every answer is counted in
/// `http_metrics` under its route's label, `other` for a path that matched
/// nothing.
class route_table {
public:
  /// Fails with `std::invalid_argument` if a pattern is not canonical or
  /// has more than one `{...}` segment: the table is code, not input.
  route_table(std::vector<route> routes, const api_key_ring& keys,
              http_metrics& metrics);

  void handle(http_request req, http_reply reply) const;

  /// Where a method and a path lead, before any key check.
  struct resolution {
    /// The entry reached; null if none is.
    const route* found = nullptr;
    /// What its `{...}` segment matched.
    std::string param;
    /// The label to count the answer under.
    http_route label = http_route::other;
    /// Unless `found`: the 404 or 405 that refuses the request.
    http_response refusal;
  };

  /// What `handle` decides from `method` and `path` alone; `method_name` is
  /// the method as sent, for the 405's text. `$batch` resolves its items
  /// here, so that an item that is no submit gets the answer it would get
  /// alone.
  resolution resolve(boost::beast::http::verb method,
                     std::string_view method_name, std::string_view path) const;

  const std::vector<route>& routes() const noexcept {
    return routes_;
  }

  /// Why `path` is not canonical, or an empty string if it is.
  static std::string path_problem(std::string_view path);

  /// Whether `path` matches `pattern`; `param` receives what the `{...}`
  /// segment matched.
  static bool matches(std::string_view pattern, std::string_view path,
                      std::string& param);

private:
  void dispatch(const route& entry, route_call& call) const;

  std::vector<route> routes_;
  const api_key_ring& keys_;
  http_metrics& metrics_;
};

} // namespace stagehand
