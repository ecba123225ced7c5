#pragma once

#include <functional>
#include <string>

#include <caf/error.hpp>

namespace stagehand {

/// Decides whether the server may ever post to a URL: a submit's callback or
/// a webhook. The notifier's allowlist plugs in here; a rejected URL fails
/// the request with 400 and stores nothing.
using target_check = std::function<caf::error(const std::string& url)>;

/// The check used until a notifier provides its allowlist: an absolute
/// `http://` or `https://` URL with a host.
caf::error check_url_syntax(const std::string& url);

} // namespace stagehand
