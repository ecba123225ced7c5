#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "services/page_triggers.hpp"

namespace stagehand::apps {

/// What a scenario asked of a task label's triggers: how many more times the
/// completion trigger re-enqueues it, and whether the error trigger handles
/// its errors. Written by the player's thread, read by page actors.
class task_behaviors {
public:
  struct behavior {
    int repeat = 0;
    bool handled = false;
  };

  void set(const std::string& page, const std::string& task, behavior x);

  /// Consumes one repeat; @returns true if the task should run again.
  bool take_repeat(const std::string& page, const std::string& task);

  bool handled(const std::string& page, const std::string& task);

private:
  std::mutex mtx_;
  std::map<std::pair<std::string, std::string>, behavior> entries_;
};

/// The page of a scenario: its triggers do only what the scenario's
/// `repeat` and `handled` fields ask for.
class scenario_page : public page_triggers {
public:
  scenario_page(std::string label, std::shared_ptr<task_behaviors> behaviors)
    : label_(std::move(label)), behaviors_(std::move(behaviors)) {}

  void on_page_background_task_completed(page_context& ctx,
                                         const background_task& task,
                                         const dictionary& results) override;

  void on_page_background_task_error(page_context& ctx,
                                     const background_task& task,
                                     const task_error& error,
                                     bool& is_handled) override;

private:
  std::string label_;
  std::shared_ptr<task_behaviors> behaviors_;
};

} // namespace stagehand::apps
