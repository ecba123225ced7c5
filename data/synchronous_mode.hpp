#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stagehand {

/// What a committed transaction on one of our SQLite files survives. One
/// policy covers them all (`database-synchronous`), so that `system.db` and
/// the company files never promise different things. Both run in WAL.
enum class synchronous_mode {
  /// SQLite's `synchronous=NORMAL`: a commit survives a crash of the
  /// process; a power loss may lose the last commits (WAL syncs only at
  /// checkpoints).
  normal,
  /// SQLite's `synchronous=FULL`: every commit is synced before it returns,
  /// so it survives a power loss too, at an fsync per commit.
  full,
};

/// `normal` or `full`, as the configuration writes them; nothing else.
std::optional<synchronous_mode> parse_synchronous(std::string_view text);

/// The configuration's spelling: `normal` or `full`.
std::string to_string(synchronous_mode mode);

} // namespace stagehand
