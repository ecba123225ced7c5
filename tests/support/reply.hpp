#pragma once

#include <optional>
#include <string>
#include <utility>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/sec.hpp>

#include "core/errc.hpp"

namespace stagehand::test {

/// What came back for a message a test sent: a value, a refusal (an error
/// reply), or nothing at all. A `caf::expected` cannot tell the last two
/// apart, and a test of a refusal must not pass because no reply came.
template <class T>
class reply {
public:
  /// Nothing arrived.
  reply() = default;

  static reply of(T value) {
    reply r;
    r.value_ = std::move(value);
    return r;
  }

  static reply refusal(caf::error err) {
    reply r;
    r.refusal_ = std::move(err);
    return r;
  }

  // -- what arrived -----------------------------------------------------------

  /// True if a value arrived.
  explicit operator bool() const {
    return value_.has_value();
  }

  /// True if an error reply arrived.
  bool refused() const {
    return static_cast<bool>(refusal_);
  }

  /// True if nothing arrived.
  bool none() const {
    return !value_ && !refusal_;
  }

  // -- access -----------------------------------------------------------------

  T& operator*() {
    return *value_;
  }

  const T& operator*() const {
    return *value_;
  }

  T* operator->() {
    return &*value_;
  }

  /// The refusal; an empty error unless `refused()`.
  const caf::error& error() const {
    return refusal_;
  }

  /// For helpers that only pass a value or an error on; nothing becomes
  /// `sec::request_timeout`, so check `none()` before converting.
  operator caf::expected<T>() const {
    if (value_)
      return *value_;
    if (refusal_)
      return refusal_;
    return caf::sec::request_timeout;
  }

  friend bool operator==(const reply& x, const T& y) {
    return x.value_ && *x.value_ == y;
  }

  /// "no reply", "refused: <text>" or "a value", for failure messages.
  friend std::string describe(const reply& x) {
    if (x.none())
      return "no reply";
    if (x.refused())
      return "refused: " + stagehand::describe(x.refusal_);
    return "a value";
  }

private:
  std::optional<T> value_;
  caf::error refusal_;
};

} // namespace stagehand::test
