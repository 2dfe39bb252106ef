// A write transaction for the duration of one service call: rolled back
// unless commit() is reached, so an error half-way leaves nothing written.
#pragma once

#include "hotline/store/storage.hpp"

namespace hotline::store {

class WriteScope {
 public:
  explicit WriteScope(Storage& storage) : storage_(storage) {}
  ~WriteScope() {
    if (open_) storage_.rollback();
  }
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

  Status begin() {
    Status st = storage_.begin();
    open_ = st.ok();
    return st;
  }
  // A commit that reports failure is rolled back as well: whatever the
  // backend managed to keep of it goes, so a failed call changed nothing.
  Status commit() {
    open_ = false;
    Status st = storage_.commit();
    if (!st) storage_.rollback();
    return st;
  }

 private:
  Storage& storage_;
  bool open_ = false;
};

}  // namespace hotline::store
