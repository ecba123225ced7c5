#pragma once

#include <functional>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "server/http/url.hpp"

namespace stagehand {

/// Decides which hosts the server may POST callbacks and webhooks to. The
/// URLs come from API callers, so without this check anyone who may submit an
/// operation could make the server send requests into its own network
/// (server-side request forgery). The list holds networks (CIDR blocks or
/// single addresses) and host names:
///
/// - an IP literal in a URL must lie in a listed network;
/// - a listed host name is trusted, whatever it resolves to;
/// - any other name is resolved, and every address it resolves to must lie in
///   a listed network, so a name that points even one address elsewhere is
///   refused.
///
/// `resolve` returns the addresses it checked, and deliveries connect to
/// those only, so a second DNS answer (DNS rebinding) cannot redirect them.
/// IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are checked as the IPv4
/// address they are. The default is loopback only: 127.0.0.0/8, ::1 and
/// `localhost`. Host names match exactly; there are no wildcards.
class callback_allowlist {
public:
  // -- member types -----------------------------------------------------------

  using address = boost::asio::ip::address;

  /// Looks up a host name's addresses. Replaceable, so that tests need no DNS.
  using resolver = std::function<std::vector<address>(
    const std::string& host, boost::system::error_code& ec)>;

  /// A URL that passed, with the addresses to connect to.
  struct target {
    url location;
    std::vector<address> addresses;
  };

  // -- construction -----------------------------------------------------------

  /// Loopback only, resolving names with `system_resolver`.
  callback_allowlist();

  /// Entries such as "10.1.0.0/16", "192.168.1.7", "::1", "fd00::/8" or
  /// "hooks.example.com". The first bad entry fails with
  /// `delivery_errc::bad_allowlist_entry`.
  static caf::expected<callback_allowlist>
  make(const std::vector<std::string>& entries,
       resolver resolve = system_resolver);

  /// The allowlist `stagehand.callback-allowlist` describes: `make(entries)`,
  /// or loopback only when there are none.
  static caf::expected<callback_allowlist>
  configured(const std::vector<std::string>& entries);

  /// getaddrinfo, through Asio. Blocks for as long as the lookup takes.
  static std::vector<address> system_resolver(const std::string& host,
                                              boost::system::error_code& ec);

  // -- checks -----------------------------------------------------------------

  /// Parses `text`, resolves its host and checks every address. Fails with
  /// `bad_url`, `unresolvable_host` or `target_refused`, each naming `text`.
  /// Blocks while a name that is not an IP literal resolves.
  caf::expected<target> resolve(const std::string& text) const;

  /// Whether the host of `location` is a name that must be looked up before
  /// `judge` can decide; an IP literal needs no lookup.
  static bool needs_lookup(const url& location);

  /// The second half of `resolve`, for callers that look names up on their
  /// own (asynchronously, with a deadline): the verdict on `text`, parsed as
  /// `location`, given the lookup's outcome `ec` and `addresses`, which an
  /// IP literal ignores. Fails as `resolve` does.
  caf::expected<target> judge(const std::string& text, url location,
                              const boost::system::error_code& ec,
                              std::vector<address> addresses) const;

  /// `resolve`, for callers that need only the verdict.
  caf::error check(const std::string& text) const;

private:
  struct network {
    address base;
    unsigned prefix;
  };

  callback_allowlist(std::vector<network> networks,
                     std::vector<std::string> names, resolver resolve);

  bool allowed(const address& addr) const;

  std::vector<network> networks_;
  std::vector<std::string> names_;
  resolver resolve_;
};

} // namespace stagehand
