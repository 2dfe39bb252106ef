// Handles the C ABI hands out. A handle is not the object's address: it is
// an address in a range the library reserves (and never maps), numbered by
// a serial that is not reused, and a registry maps it to the object. A
// destroyed handle is therefore refused even when the allocator gives its
// object's memory to a new one, and a handle of one type is refused as
// another (an hl_store passed as an hl_engine).
#pragma once

#include <cstdint>

namespace hotline::capi {

enum class HandleType : std::uint8_t { kEngine = 1, kStore = 2 };

// A new handle for `object`; nullptr when the address range cannot be
// reserved or is exhausted. Thread-safe, as are the two below.
void* handle_add(HandleType type, void* object);
// The object behind a live handle of `type`, or nullptr.
void* handle_find(HandleType type, const void* handle);
// Forgets the handle and returns its object (nullptr when not live).
void* handle_remove(HandleType type, const void* handle);

}  // namespace hotline::capi
