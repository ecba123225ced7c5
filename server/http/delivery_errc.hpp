#pragma once

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/message.hpp>

namespace stagehand {

/// Why a callback or webhook could not be checked, signed or delivered. A
/// category of its own, apart from `stagehand::errc`, so the delivery side
/// builds and merges without touching the runtime's error list. Every context
/// ends in a sentence fragment that names the problem, so the rendered text
/// can go straight into a 400 answer or onto the operation's record.
enum class delivery_errc : std::uint8_t {
  /// Context: the URL, what is wrong with it.
  bad_url = 1,
  /// Context: the URL, why the allowlist refuses it.
  target_refused,
  /// Context: the URL, the host, the resolver's reason.
  unresolvable_host,
  /// Context: the URL, what went wrong (connect, TLS handshake, send or
  /// read, and why; a certificate that does not verify says why not).
  http_failed,
  /// Context: the URL; the client was cancelled because the notifier stops.
  cancelled,
  /// Context: the entry, what is wrong with it.
  bad_allowlist_entry,
  /// Context: the setting's name, what is wrong with it.
  bad_setting,
  /// Context: why the signature does not verify.
  bad_signature,
  /// Context: the URL; as many host lookups as allowed are still running.
  lookups_busy,
  /// Context: the path, why its CA certificates cannot be loaded.
  bad_ca_file,
};

/// The category atom of all delivery errors.
inline constexpr caf::atom_value delivery_errc_category = caf::atom("delivery");

std::string to_string(delivery_errc x);

caf::error make_error(delivery_errc code, caf::message context = {});

/// Renders a delivery error for people: "The URL 'ftp://x/' is not valid:
/// the scheme must be http or https." Other errors go to `stagehand::describe`.
std::string describe_delivery(const caf::error& err);

/// True if `err` is the delivery error `code`.
bool is(const caf::error& err, delivery_errc code);

} // namespace stagehand
