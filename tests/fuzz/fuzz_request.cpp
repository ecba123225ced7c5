// libFuzzer target: the whole request path in process. Bytes go through
// Beast's request parser with the connection's limits (header 8 KiB, body
// 1 MiB), several requests per input as on a keep-alive connection, and each
// complete request goes to the API (`request_handler::handle`) assembled as
// `operation_server` assembles it: the real store (SQLite in a temp data
// dir), registry and scheduler, with keys configured, and no socket.
//
// Each request must be answered exactly once within 10 s; no handler may
// throw (a 500 InternalError); and a request without a valid key must not
// see or change an operation: no 2xx other than a plain 200 that names no
// operation (`/healthz`, `/metrics`).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

#include "tests/fuzz/request_path.hpp"

namespace {

namespace http = boost::beast::http;

/// Requests per input: enough for a submit followed by its poll and cancel.
constexpr int max_requests = 8;

/// Parses the next request off `rest` as the connection does.
/// @returns false where the connection would answer 400, 413 or 431 and
///          close, or `rest` holds no complete request.
bool next_request(std::string_view& rest, stagehand::http_request& out) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(stagehand::http_connection::header_limit);
  parser.body_limit(stagehand::http_connection::body_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  while (!parser.is_done()) {
    auto used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(used);
    if (ec == http::error::need_more && used > 0) {
      ec = {};
      continue;
    }
    if (ec == http::error::need_more || (!ec && used == 0)) {
      // The peer closed: before any byte that ends the connection quietly
      // (Beast asserts on put_eof there), after some it may end the body.
      if (!parser.got_some())
        return false;
      parser.put_eof(ec);
    }
    if (ec)
      return false;
  }
  out = parser.release();
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static stagehand::fuzz::request_path path;
  std::string_view rest{reinterpret_cast<const char*>(data), size};
  stagehand::http_request req;
  for (int n = 0; n < max_requests && next_request(rest, req); ++n) {
    auto keep_alive = req.keep_alive();
    path.answer(std::move(req));
    if (!keep_alive)
      break;
  }
  return 0;
}
