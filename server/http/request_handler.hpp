#pragma once

#include <functional>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace stagehand {

using http_request
  = boost::beast::http::request<boost::beast::http::string_body>;
using http_response
  = boost::beast::http::response<boost::beast::http::string_body>;

/// Hands a request's answer back to its connection; call it exactly once,
/// from any thread. Answers may come later than the request (a synchronous
/// submit waits for its operation), so a handler never returns one.
using http_reply = std::function<void(http_response)>;

/// What a connection hands each complete request to.
class request_handler {
public:
  virtual ~request_handler() = default;

  virtual void handle(http_request req, http_reply reply) = 0;
};

} // namespace stagehand
