// Host vtables (hl_telephony, hl_storage) grow the way sqlite3_vfs does: a
// version first, new slots only at the end. A host built against an older
// header hands in a smaller struct, so the library copies exactly the bytes
// of the version it was given and leaves the newer slots NULL: it never
// reads past the end of what the host allocated.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>

#include "boundary.hpp"

namespace hotline::capi {

// `sizes[v - 1]` is the size of version v of `Table`, the last one being
// sizeof(Table). `what` names the table in messages ("telephony").
template <typename Table, std::size_t kVersions>
Result<Table> copy_versioned_table(const Table* given, const char* what,
                                   const std::size_t (&sizes)[kVersions]) {
  static_assert(kVersions >= 1, "a table has at least version 1");
  int version = 0;
  std::memcpy(&version, given, sizeof version);  // the first field of every version
  if (version < 1 || version > static_cast<int>(kVersions)) {
    return invalid(std::string(what) + " version " + std::to_string(version) +
                   " is not supported: this library reads versions 1 to " +
                   std::to_string(kVersions));
  }
  Table copy{};
  std::memcpy(static_cast<void*>(&copy), static_cast<const void*>(given),
              sizes[version - 1]);
  return copy;
}

}  // namespace hotline::capi
