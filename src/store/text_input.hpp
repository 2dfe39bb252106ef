// The one check every text entering the store passes before anything is
// written: valid UTF-8 (so that JSON output, the search index and every
// later read can represent it) and within its byte limit. Errors name the
// field, so that a refusal says what and where.
#pragma once

#include <cstddef>
#include <limits>
#include <string_view>

#include "hotline/store/actor.hpp"
#include "hotline/util/result.hpp"

namespace hotline::store {

inline constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

Status check_text(std::string_view field, std::string_view value, std::size_t limit = kNoLimit);

// At most `max_bytes` of `text` for an error message, cut back to a whole
// UTF-8 sequence so that the message itself stays valid UTF-8.
std::string_view excerpt(std::string_view text, std::size_t max_bytes = 64);

// The actor's id goes into history and audit records of every write.
Status check_actor(const Actor& actor);

}  // namespace hotline::store
