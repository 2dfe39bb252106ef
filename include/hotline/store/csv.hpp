// A CSV reader after RFC 4180: comma-separated fields, double-quoted fields
// that may hold commas, quotes ("") and line breaks, CRLF or LF line ends.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hotline/util/result.hpp"

namespace hotline::store {

class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  // Reads the next record into `fields`. false at the end of input; an
  // error names the record number and column of a malformed quote.
  Result<bool> next(std::vector<std::string>& fields);
  std::size_t record_number() const noexcept { return record_; }  // 1-based, of the last read

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t record_ = 0;
  std::size_t line_ = 1;
};

}  // namespace hotline::store
