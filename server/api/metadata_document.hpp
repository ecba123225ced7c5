#pragma once

#include <string>

#include "server/operations/operation_registry.hpp"

namespace stagehand {

/// `GET /api/data/v9.2/$metadata`: the service's CSDL, the XML schema that a
/// generic OData client reads before anything else, to learn the
/// `backgroundoperation` entity type, its set, and each registered operation
/// as an OData function (called with `GET`) or action (called with `POST`)
/// with its parameters. Built from the registry, so it cannot drift from
/// what the server accepts.
std::string metadata_document(const operation_registry& registry);

} // namespace stagehand
