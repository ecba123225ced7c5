#pragma once

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/message.hpp>

namespace stagehand {

/// Why a request to the runtime failed. Each value travels inside a
/// `caf::error` of category `stagehand`, with the values that name the problem
/// (a codeunit id, a session id, ...) as its context.
enum class errc : std::uint8_t {
  /// Context: codeunit id.
  unknown_codeunit = 1,
  /// Context: session id, queue length.
  queue_full,
  /// Context: none; the page has closed.
  page_closed,
  /// Context: none; the session has closed.
  session_closed,
  /// Context: the timeout in milliseconds.
  negative_timeout,
  /// Context: task id, cancel reason.
  task_cancelled,
  /// Context: error code, error text (from the codeunit).
  task_failed,
  /// Context: company name, path of the file that does not exist.
  unknown_company,
  /// Context: company name, path, SQLite's reason (not a database, ...).
  company_unreadable,
  /// Context: BackgroundSessionsMaxQueued.
  session_queue_full,
  /// Context: original session id, current session id.
  session_recursion,
  /// Context: session id.
  cannot_stop_self,
  /// Context: session id; its timeout has run out, so a session it starts
  /// without a timeout of its own would have no time at all.
  budget_spent,
  /// Context: session id; no such session is active or recently ended.
  unknown_session,
  /// Context: none; the runtime is shutting down.
  shutting_down,
  /// Context: the bound's name, the bound in milliseconds; a runtime call's
  /// answer did not come within its bound.
  no_answer,
  /// Context: the message's name; only the runtime itself may send it, and
  /// this one came from elsewhere (another node, or a client's handle).
  not_permitted,
  // -- the cluster (docs/cluster.md) --
  /// Context: host, port, why; a worker found no coordinator there.
  coordinator_unreachable,
  /// Context: host, port; the TLS handshake was refused (a certificate
  /// that the other side's CA did not sign, or none).
  certificate_refused,
  /// Context: our protocol version, theirs.
  incompatible_version,
  /// Context: our fingerprint of the message types, theirs.
  message_types_mismatch,
  /// Context: node name; a live node already has it.
  duplicate_node,
  /// Context: node name; the node stopped answering or its connection went.
  node_lost,
  /// Context: why; the door cannot open (clustering not enabled, a port in
  /// use, ...).
  cluster_unavailable,
};

/// The category atom of all stagehand errors.
inline constexpr caf::atom_value errc_category = caf::atom("stagehand");

std::string to_string(errc x);

caf::error make_error(errc code, caf::message context = {});

/// Renders an error for people: "Codeunit 50199 is not registered."
/// Errors from other categories fall back to CAF's own rendering.
std::string describe(const caf::error& err);

/// The same rendering in the signature that `add_error_category` wants.
std::string render_errc(std::uint8_t code, caf::atom_value category,
                        const caf::message& context);

/// True if `err` is the stagehand error `code`.
bool is(const caf::error& err, errc code);

} // namespace stagehand
