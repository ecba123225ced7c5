#include "server/http/http_client.hpp"

#include <type_traits>

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <caf/make_message.hpp>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "server/http/delivery_errc.hpp"

namespace stagehand {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

using tls_stream = beast::ssl_stream<beast::tcp_stream>;

namespace {

/// Makes `stream` send `host` as SNI and accept only a certificate for it.
/// OpenSSL's own host check rather than a verify callback, because a
/// mismatch then fails with a reason of its own ("hostname mismatch")
/// instead of an unspecified one. SNI carries names only, never an address.
/// Returns OpenSSL's reason if it could not set them.
std::string expect_host(tls_stream& stream, const std::string& host) {
  auto* ssl = stream.native_handle();
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  auto done
    = ec
        ? SSL_set_tlsext_host_name(ssl, host.c_str()) == 1
            && SSL_set1_host(ssl, host.c_str()) == 1
        : X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  if (done)
    return {};
  auto code = ERR_get_error();
  auto* reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : "unknown error";
}

/// The certificate's verdict after a failed handshake, "" if it verified or
/// was not reached: the handshake's own text says only "certificate verify
/// failed".
std::string verify_failure(tls_stream& stream) {
  auto result = SSL_get_verify_result(stream.native_handle());
  return result == X509_V_OK ? std::string{}
                             : X509_verify_cert_error_string(result);
}

std::string verify_failure(beast::tcp_stream&) {
  return {};
}

} // namespace

struct http_client::outcome {
  std::string stage = "connecting";
  beast::error_code failure;
  /// Why the certificate did not verify, if that failed the handshake.
  std::string certificate;
  bool answered = false;
  unsigned status = 0;
};

http_client::http_client(timeouts t, std::shared_ptr<asio::ssl::context> tls)
  : timeouts_(t), tls_(std::move(tls)) {}

caf::expected<unsigned>
http_client::post(const url& location,
                  const std::vector<asio::ip::address>& addresses,
                  std::string_view body, const header_list& headers) {
  std::vector<asio::ip::tcp::endpoint> endpoints;
  for (const auto& addr : addresses)
    endpoints.emplace_back(addr, location.port);
  request req{http::verb::post, location.target, 11};
  req.set(http::field::host, location.authority());
  req.set(http::field::user_agent, "stagehand");
  req.set(http::field::content_type, "application/json");
  req.set(http::field::connection, "close");
  for (const auto& [name, value] : headers)
    req.set(name, value);
  req.body() = std::string{body};
  req.prepare_payload();
  auto failed = [&](std::string why) {
    return make_error(delivery_errc::http_failed,
                      caf::make_message(location.str(), std::move(why)));
  };
  outcome result;
  if (location.secure()) {
    tls_stream stream{ioc_, *tls_};
    if (auto why = expect_host(stream, location.host); !why.empty())
      return failed("setting up TLS: " + why);
    result = exchange(stream, endpoints, req);
  } else {
    beast::tcp_stream stream{ioc_};
    result = exchange(stream, endpoints, req);
  }
  if (result.answered)
    return result.status;
  if (cancelled_)
    return make_error(delivery_errc::cancelled,
                      caf::make_message(location.str()));
  if (result.failure == beast::error::timeout) {
    auto limit
      = result.stage == "connecting" ? timeouts_.connect : timeouts_.response;
    return failed("no answer within " + std::to_string(limit.count())
                  + " ms while " + result.stage);
  }
  auto why = result.stage + ": " + result.failure.message();
  if (!result.certificate.empty())
    why += " (" + result.certificate + ")";
  return failed(std::move(why));
}

template <class Stream>
http_client::outcome
http_client::exchange(Stream& stream,
                      const std::vector<asio::ip::tcp::endpoint>& endpoints,
                      request& req) {
  outcome result;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (cancelled_)
      return result;
    ioc_.restart();
    abort_ = [&stream] {
      beast::get_lowest_layer(stream).close();
    };
  }
  // Only the status line and headers are read: the response body means
  // nothing to a delivery, and skipping it bounds what a receiver can send.
  // Nor is a TLS connection shut down in good order: the request said
  // "Connection: close", and waiting for the receiver's close_notify would
  // only give a slow receiver another way to hold the thread.
  http::response_parser<http::empty_body> parser;
  beast::flat_buffer buffer;
  auto fail = [&](beast::error_code ec) {
    result.failure = ec;
    result.certificate = verify_failure(stream);
  };
  auto send = [&] {
    result.stage = "sending";
    http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
      if (ec)
        return fail(ec);
      result.stage = "waiting for the response";
      http::async_read_header(stream, buffer, parser,
                              [&](beast::error_code ec, std::size_t) {
                                if (ec)
                                  return fail(ec);
                                result.answered = true;
                                result.status = parser.get().result_int();
                              });
    });
  };
  auto& tcp = beast::get_lowest_layer(stream);
  tcp.expires_after(timeouts_.connect);
  tcp.async_connect(endpoints, [&](beast::error_code ec, const auto&) {
    if (ec)
      return fail(ec);
    tcp.expires_after(timeouts_.response);
    if constexpr (std::is_same_v<Stream, tls_stream>) {
      result.stage = "doing the TLS handshake";
      stream.async_handshake(asio::ssl::stream_base::client,
                             [&](beast::error_code ec) {
                               if (ec)
                                 return fail(ec);
                               send();
                             });
    } else {
      send();
    }
  });
  ioc_.run();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    abort_ = nullptr;
  }
  return result;
}

void http_client::cancel() {
  std::lock_guard<std::mutex> guard{mtx_};
  cancelled_ = true;
  // Run on the I/O thread, because a Beast stream is not thread-safe. If the
  // request has just finished, the job stays queued and is never run: a
  // cancelled client does not run its context again.
  if (abort_)
    asio::post(ioc_, abort_);
}

} // namespace stagehand
