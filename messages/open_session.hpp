#pragma once

#include <string>

#include <caf/actor_addr.hpp>
#include <caf/meta/type_name.hpp>

#include "messages/client_type.hpp"
#include "messages/default_identity.hpp"

namespace stagehand {

/// Asks the runtime actor for a parent session, answered with its
/// `session_handle`. With a company, the company is opened first and the
/// session's Logon event recorded; a company that cannot be opened is
/// `unknown_company` or `company_unreadable`. Without one, the session is on
/// CRONUS and opens no file.
struct open_session {
  client_type client = client_type::web_client;
  std::string company;
  std::string user = default_user;
  /// The actor the session belongs to, if any: when it goes (it quits, or
  /// its node is lost), the session closes.
  caf::actor_addr owner;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, open_session& x) {
  return f(caf::meta::type_name("stagehand::open_session"), x.client, x.company,
           x.user, x.owner);
}

} // namespace stagehand
