#include "server/odata/sql_emitter.hpp"

namespace stagehand {

namespace {

const char* sql_operator(filter_node::op x) {
  switch (x) {
  case filter_node::op::eq:
    return " = ";
  case filter_node::op::ne:
    return " <> ";
  case filter_node::op::gt:
    return " > ";
  case filter_node::op::ge:
    return " >= ";
  case filter_node::op::lt:
    return " < ";
  case filter_node::op::le:
    return " <= ";
  }
  return " = ";
}

class emitter {
public:
  explicit emitter(const sql_dialect& dialect) : dialect_(dialect) {}

  void write(const filter_node& node) {
    auto& text = out_.text;
    switch (node.what) {
    case filter_node::kind::any:
    case filter_node::kind::all: {
      auto glue = node.what == filter_node::kind::any ? " OR " : " AND ";
      text += '(';
      for (std::size_t i = 0; i < node.operands.size(); ++i) {
        if (i > 0)
          text += glue;
        write(node.operands[i]);
      }
      text += ')';
      break;
    }
    case filter_node::kind::negation:
      text += "(NOT ";
      write(node.operands.front());
      text += ')';
      break;
    case filter_node::kind::compare:
      text += '(' + node.column->sql;
      if (std::holds_alternative<std::nullptr_t>(node.value)) {
        text += node.comparison == filter_node::op::eq ? " IS NULL)"
                                                       : " IS NOT NULL)";
      } else {
        text += sql_operator(node.comparison) + bind(node.value) + ')';
        // OData's null is a value: a null column is unequal to any literal
        // and neither greater nor less, where SQL would answer unknown and
        // let `not` turn it into nothing.
        if (node.column->nullable)
          text += node.comparison == filter_node::op::ne ? " IS NOT FALSE"
                                                         : " IS TRUE";
      }
      break;
    case filter_node::kind::contains: {
      auto value = bind(node.value);
      text += '(';
      text += node.column->kind == entity_column::type::parameters
                ? dialect_.parameters_contain(node.column->sql, value)
                : dialect_.text_contains(node.column->sql, value);
      text += ')';
      break;
    }
    }
  }

  sql_fragment take() {
    return std::move(out_);
  }

private:
  std::string bind(const db_value& value) {
    out_.params.push_back(value);
    return dialect_.placeholder(out_.params.size());
  }

  const sql_dialect& dialect_;
  sql_fragment out_;
};

} // namespace

sql_fragment emit_sql(const filter_node& filter, const sql_dialect& dialect) {
  emitter e{dialect};
  e.write(filter);
  return e.take();
}

} // namespace stagehand
