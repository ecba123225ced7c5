#pragma once

#include <memory>
#include <string>

#include <caf/expected.hpp>

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace stagehand {

/// The TLS context of every https delivery: TLS 1.2 or later, and the
/// receiver's certificate verified against the system's CA store plus, when
/// `ca_file` is not empty, the CA certificates (PEM) in it, which is how a
/// test or a private network trusts its own CA. Verification cannot be
/// turned off: a callback carries an operation's outcome and a signature,
/// and a receiver that cannot prove who it is must not get them.
///
/// One context serves every client and thread: OpenSSL makes each
/// connection's own state from it, and it is not changed after this.
/// Fails with `delivery_errc::bad_ca_file` naming the file and why.
caf::expected<std::shared_ptr<boost::asio::ssl::context>>
make_client_tls(const std::string& ca_file);

/// Why `make_client_tls(ca_file)` would fail, such as "No such file or
/// directory", or "" if it would not: for checking the configuration
/// before anything starts.
std::string ca_file_problem(const std::string& ca_file);

} // namespace stagehand
