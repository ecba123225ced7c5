#include "server/admin/admin_asset.hpp"

namespace stagehand {

const admin_asset* find_admin_asset(std::string_view path) {
  for (auto& asset : admin_assets())
    if (asset.path == path)
      return &asset;
  return nullptr;
}

} // namespace stagehand
