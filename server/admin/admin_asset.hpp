#pragma once

#include <string_view>
#include <vector>

namespace stagehand {

/// One file of the admin page. The page is compiled into the binary (see
/// cmake/embed_admin_page.cmake) so that `serve` shows it with no files to
/// install and nothing fetched from the network.
struct admin_asset {
  /// The path it is served at: `/admin` for the page, `/admin/<file>` for
  /// the rest.
  std::string_view path;
  std::string_view content_type;
  std::string_view body;
};

/// Every file of the page; defined in the generated source.
const std::vector<admin_asset>& admin_assets();

/// The file served at `path`, or null.
const admin_asset* find_admin_asset(std::string_view path);

} // namespace stagehand
