#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "server/api/skiptoken.hpp"
#include "server/http/prefer_header.hpp"
#include "server/http/request_handler.hpp"
#include "server/operations/operation_store.hpp"
#include "server/scheduler/operation_scheduler.hpp"
#include "server/security/principal.hpp"

namespace stagehand {

/// `GET /api/data/v9.2/backgroundoperations`: the operations table as an
/// OData entity set, the way a Dataverse client reads any table. It answers
/// the options `entity_set_query` reads with the article's columns only,
/// `@odata.context`, `@odata.count` on request, and an `@odata.nextLink`
/// whenever more rows follow. A user sees only their own rows, an admin
/// all; the restriction is part of the SQL, outside the client's filter.
class entity_set_endpoint {
public:
  /// Its `$skiptoken`s are `tokens`'.
  entity_set_endpoint(operation_store& store,
                      const operation_scheduler& scheduler, skiptoken tokens);

  /// The page that `query` (the query string, without `?`) asks `who` for,
  /// or 400 with OData's error body naming the option it refuses.
  /// With `prefer.formatted_values`, each row's codes carry their labels.
  http_response get(const std::string& query, const principal& who,
                    const prefer_header& prefer);

  /// One row read by its key, `backgroundoperations(<id>)?$select=…`:
  /// only `$select` applies to one row; another option answers 400.
  http_response one(const operation_record& rec, const std::string& query,
                    const prefer_header& prefer);

  /// The row of `rec` with every column and its `@odata.context`.
  nlohmann::json row(const operation_record& rec,
                     const prefer_header& prefer) const;

private:
  std::string context(const std::vector<std::string>& select) const;

  operation_store& store_;
  const operation_scheduler& scheduler_;
  skiptoken tokens_;
};

} // namespace stagehand
