#pragma once

#include <memory>
#include <variant>

#include "server/api/batch_request.hpp"
#include "server/api/route_call.hpp"
#include "server/api/route_table.hpp"
#include "server/api/submit_endpoint.hpp"
#include "server/security/principal.hpp"
#include "server/security/target_check.hpp"

namespace stagehand {

/// `POST /api/$batch`: up to 1,000 submits in one request, in OData 4.01's
/// JSON batch format. Each item answers exactly what it would answer alone,
/// in the item's `status`, `headers` and `body`; the answers come in the
/// items' order, with 200, once every accepted item is stored, all of them
/// in one transaction. Items are submits only: another request answers what
/// it would alone if that is an error (404, 405), otherwise 400. The batch's
/// key submits every item, so an item carrying its own `Authorization`
/// answers 400, and so does one without `Prefer: respond-async`: a
/// synchronous run cannot be part of one quick answer.
class batch_endpoint {
public:
  /// `routes` decides where an item's method and path lead; it may be
  /// filled after construction, but before the first request.
  batch_endpoint(submit_endpoint& submit, target_check& check,
                 const route_table& routes);

  void handle(route_call& call, const principal& who);

private:
  struct batch;

  /// What item `item` answers without being stored, or its checked submit.
  std::variant<checked_submit, http_response>
  check_item(batch_item& item, const principal& who) const;

  /// Stores the accepted items and answers the batch.
  void finish(batch& b);

  submit_endpoint& submit_;
  target_check& check_;
  const route_table& routes_;
};

} // namespace stagehand
