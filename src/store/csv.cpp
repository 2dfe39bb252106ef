#include "hotline/store/csv.hpp"

#include <fmt/format.h>

namespace hotline::store {

Result<bool> CsvReader::next(std::vector<std::string>& fields) {
  fields.clear();
  if (pos_ >= text_.size()) return false;
  ++record_;
  const std::size_t record_line = line_;
  std::size_t line_start = pos_;
  std::string field;
  for (;;) {
    // At the start of a field.
    if (pos_ < text_.size() && text_[pos_] == '"') {
      const std::size_t quote_column = pos_ - line_start + 1;
      ++pos_;
      for (;;) {
        if (pos_ >= text_.size()) {
          return make_error(Errc::kInvalidArgument,
                            fmt::format("CSV record {} (line {}), column {}: a quoted field is "
                                        "never closed",
                                        record_, record_line, quote_column));
        }
        const char ch = text_[pos_++];
        if (ch == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            field += '"';
            ++pos_;
            continue;
          }
          break;
        }
        if (ch == '\n') {
          ++line_;
          line_start = pos_;
        }
        field += ch;
      }
      // After the closing quote only a separator or a line end may follow.
      if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
          !(text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') &&
          text_[pos_] != '\r') {
        return make_error(Errc::kInvalidArgument,
                          fmt::format("CSV record {} (line {}), column {}: text after a closing "
                                      "quote",
                                      record_, line_, pos_ - line_start + 1));
      }
    } else {
      while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
             text_[pos_] != '\r') {
        if (text_[pos_] == '"') {
          return make_error(Errc::kInvalidArgument,
                            fmt::format("CSV record {} (line {}), column {}: a quote inside an "
                                        "unquoted field",
                                        record_, line_, pos_ - line_start + 1));
        }
        field += text_[pos_++];
      }
    }
    fields.push_back(std::move(field));
    field.clear();
    if (pos_ >= text_.size()) return true;
    const char sep = text_[pos_++];
    if (sep == ',') continue;
    if (sep == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
    return true;
  }
}

}  // namespace hotline::store
