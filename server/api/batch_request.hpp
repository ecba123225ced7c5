#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

namespace stagehand {

/// The most items one `$batch` request may carry.
inline constexpr std::size_t max_batch_items = 1000;

/// One item of a `$batch` request: a request as OData 4.01's JSON batch
/// format writes it inside the batch's body.
struct batch_item {
  std::string id;
  std::string method;
  /// A path, possibly with a query, as a lone request's target.
  std::string url;
  /// As sent; names compare case-insensitively through `header`.
  std::vector<std::pair<std::string, std::string>> headers;
  /// The body as a lone request's would parse; an absent one is `{}`, as a
  /// blank lone body is.
  nlohmann::json body = nlohmann::json::object();

  /// The value of the first header named `name`, in any case; null if
  /// there is none.
  const std::string* header(std::string_view name) const;
};

/// Reads the body of `POST /api/$batch`: `{"requests": [item, ...]}` with at
/// most `max_batch_items` items, each an object with a string `id` unique in
/// the batch, a string `method` and `url`, optionally `headers` (an object of
/// strings) and `body` (any JSON). Fails with `caf::sec::invalid_argument`
/// whose context is the 400's text, naming the problem and the item
/// (`requests[3].url must be a string.`). The format's `atomicityGroup`,
/// `dependsOn` and `if` are refused by name: every item here stands alone.
caf::expected<std::vector<batch_item>> parse_batch(const std::string& body);

} // namespace stagehand
