#include "apps/scenario_page.hpp"

namespace stagehand::apps {

void task_behaviors::set(const std::string& page, const std::string& task,
                         behavior x) {
  std::lock_guard<std::mutex> guard{mtx_};
  entries_[{page, task}] = x;
}

bool task_behaviors::take_repeat(const std::string& page,
                                 const std::string& task) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = entries_.find({page, task});
  if (i == entries_.end() || i->second.repeat <= 0)
    return false;
  --i->second.repeat;
  return true;
}

bool task_behaviors::handled(const std::string& page, const std::string& task) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = entries_.find({page, task});
  return i != entries_.end() && i->second.handled;
}

void scenario_page::on_page_background_task_completed(
  page_context& ctx, const background_task& task, const dictionary&) {
  if (behaviors_->take_repeat(label_, task.tag))
    ctx.enqueue_background_task(
      {task.codeunit, task.parameters, task.timeout, task.level, task.tag});
}

void scenario_page::on_page_background_task_error(page_context&,
                                                  const background_task& task,
                                                  const task_error&,
                                                  bool& is_handled) {
  is_handled = behaviors_->handled(label_, task.tag);
}

} // namespace stagehand::apps
