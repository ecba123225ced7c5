#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "messages/dictionary.hpp"
#include "data/database.hpp"
#include "server/operations/operation_record.hpp"

namespace stagehand::operation_rows {

/// How `operation_store` maps its rows to `operation_record`s. Its files
/// (the store by job: reads and requests, the scheduler's transitions)
/// share these, so that every statement reads the same columns in the same
/// order.

/// The system tables and their indexes, created when missing.
extern const char* const schema;

/// `SELECT <every column> FROM operations ` (ends with a space).
const std::string& select_from();

/// `select_from()` of the row with the id bound first.
const std::string& by_id();

/// ` RETURNING <every column>`, for UPDATEs that answer the changed row.
const std::string& returning();

/// `notified = <whether this completion has nothing to deliver>`, for the
/// UPDATEs that end an operation: with no callback and no subscriber there
/// is nothing to notify, so the ending and its notification are one write.
const std::string& notified_if_nothing_to_deliver();

/// SPEC.md §3 stores parameters as a JSON array of {Key, Value}.
std::string to_pairs(const dictionary& dict);

std::int64_t int_of(const db_value& v);

std::optional<std::int64_t> opt_int_of(const db_value& v);

std::string text_of(const db_value& v);

/// NULL for an unset time or an empty text.
db_value opt(const std::optional<std::int64_t>& x);
db_value opt(const std::string& x);

operation_record to_record(const db_row& row);

std::vector<operation_record> to_records(const std::vector<db_row>& rows);

std::optional<operation_record> first(const std::vector<db_row>& rows);

} // namespace stagehand::operation_rows
