#include "server/operations/entity_statement.hpp"

#include "server/operations/operation_rows.hpp"

namespace stagehand {

namespace {

/// An unfinished operation's NULL end time counts as `unfinished`, so that
/// row-value comparisons see every row.
std::string sort_key(entity_query::order_by order) {
  return order == entity_query::order_by::end_time
           ? "COALESCE(end_time, " + std::to_string(entity_query::unfinished)
               + ")"
           : "created_on";
}

class builder {
public:
  builder(const entity_query& q, const sql_dialect& dialect)
    : dialect_(dialect) {
    out_.params = q.filter.params;
    if (!q.filter.text.empty())
      where("(" + q.filter.text + ")");
    if (q.run_as)
      where("run_as = " + bind(*q.run_as));
  }

  template <class T>
  std::string bind(const T& value) {
    out_.params.emplace_back(value);
    return dialect_.placeholder(out_.params.size());
  }

  void where(const std::string& condition) {
    out_.text += (conditions_++ == 0 ? "WHERE " : " AND ") + condition;
  }

  sql_fragment finish(const std::string& head, const std::string& tail) {
    out_.text = head + out_.text + tail;
    return std::move(out_);
  }

private:
  const sql_dialect& dialect_;
  sql_fragment out_;
  int conditions_ = 0;
};

} // namespace

sql_fragment page_statement(const entity_query& q,
                            const sql_dialect& dialect) {
  builder b{q, dialect};
  auto key = sort_key(q.order);
  if (q.after) {
    auto at = b.bind(q.after->key);
    auto seq = b.bind(q.after->seq);
    b.where("(" + key + ", seq) " + (q.descending ? "<" : ">") + " (" + at
            + ", " + seq + ")");
  }
  auto direction = q.descending ? " DESC" : " ASC";
  auto limit = b.bind(static_cast<std::int64_t>(q.top));
  return b.finish(operation_rows::select_from(), " ORDER BY " + key + direction
                                                   + ", seq" + direction
                                                   + " LIMIT " + limit);
}

sql_fragment count_statement(const entity_query& q,
                             const sql_dialect& dialect) {
  return builder{q, dialect}.finish("SELECT count(*) FROM operations ", "");
}

} // namespace stagehand
