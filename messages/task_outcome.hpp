#pragma once

#include <cstdint>

#include <caf/meta/type_name.hpp>

#include "messages/dictionary.hpp"
#include "messages/task_error.hpp"

namespace stagehand {

/// How a task that ran (or should have) ended, before the page decides
/// whether the outcome still matters.
struct task_outcome {
  enum class kind : std::uint8_t { completed, failed, timed_out };

  kind what = kind::completed;
  dictionary results;
  task_error error;

  static task_outcome completed(dictionary results) {
    return {kind::completed, std::move(results), {}};
  }

  static task_outcome failed(task_error error) {
    return {kind::failed, {}, std::move(error)};
  }

  static task_outcome timed_out() {
    return {kind::timed_out, {}, task_error::timeout()};
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_outcome& x) {
  return f(caf::meta::type_name("stagehand::task_outcome"), x.what, x.results,
           x.error);
}

} // namespace stagehand
