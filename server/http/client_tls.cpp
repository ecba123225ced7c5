#include "server/http/client_tls.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <boost/asio/ssl/context.hpp>
#include <caf/make_message.hpp>

#include "server/http/delivery_errc.hpp"

namespace stagehand {

namespace ssl = boost::asio::ssl;

namespace {

std::shared_ptr<ssl::context> system_trust() {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  ctx->set_verify_mode(ssl::verify_peer);
  // OpenSSL passes over a missing system store here (a container may have
  // none); a receiver that only the store would vouch for then fails to
  // verify, and its delivery says so.
  boost::system::error_code ignored;
  ctx->set_default_verify_paths(ignored);
  return ctx;
}

/// Adds the CA certificates in `path` to `ctx`; returns why it could not.
std::string trust(ssl::context& ctx, const std::string& path) {
  // OpenSSL's text for a file it cannot open names its own routine, not the
  // cause; the system's says "No such file or directory".
  if (std::ifstream in{path}; !in)
    return std::strerror(errno);
  boost::system::error_code ec;
  ctx.load_verify_file(path, ec);
  return ec ? ec.message() : std::string{};
}

} // namespace

caf::expected<std::shared_ptr<ssl::context>>
make_client_tls(const std::string& ca_file) {
  auto ctx = system_trust();
  if (ca_file.empty())
    return ctx;
  if (auto why = trust(*ctx, ca_file); !why.empty())
    return make_error(delivery_errc::bad_ca_file,
                      caf::make_message(ca_file, std::move(why)));
  return ctx;
}

std::string ca_file_problem(const std::string& ca_file) {
  ssl::context ctx{ssl::context::tls_client};
  return trust(ctx, ca_file);
}

} // namespace stagehand
