#include "server/http/http_route.hpp"

namespace stagehand {

const char* to_string(http_route x) noexcept {
  switch (x) {
  case http_route::catalog:
    return "catalog";
  case http_route::submit:
    return "submit";
  case http_route::status:
    return "status";
  case http_route::cancel:
    return "cancel";
  case http_route::list:
    return "list";
  case http_route::entity_set:
    return "entity_set";
  case http_route::webhooks:
    return "webhooks";
  case http_route::batch:
    return "batch";
  case http_route::healthz:
    return "healthz";
  case http_route::metrics:
    return "metrics";
  case http_route::admin_page:
    return "admin_page";
  case http_route::admin:
    return "admin";
  case http_route::other:
    return "other";
  }
  return "other";
}

} // namespace stagehand
