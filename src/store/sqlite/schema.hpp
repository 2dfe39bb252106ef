// The schema as a list of forward migrations. PRAGMA user_version records how
// many have run; opening a database runs the rest, each in its own write
// transaction, and refuses a database newer than this library.
#pragma once

#include "database.hpp"

namespace hotline::store::sqlite {

int schema_version();  // the number of migrations this library knows
Status migrate(Database& db);

}  // namespace hotline::store::sqlite
