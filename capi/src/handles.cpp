#include "handles.hpp"

#include <sys/mman.h>

#include <cstddef>
#include <mutex>
#include <unordered_map>

namespace hotline::capi {

namespace {

// 2^24 handles of 16 bytes each (16 keeps them aligned like malloc's
// pointers) in 256 MiB of address space that is reserved, never backed by
// memory and never handed to anyone else. A serial comes back only after
// 16 million more handles were made, and never while its handle is live.
constexpr std::uintptr_t kStride = 16;
constexpr std::uint64_t kSlots = std::uint64_t{1} << 24;

struct Entry {
  HandleType type;
  void* object;
};

struct Registry {
  std::mutex mutex;
  std::uintptr_t base = 0;
  bool reserve_failed = false;
  std::uint64_t next = 1;  // slot 0 stays unused
  std::unordered_map<std::uintptr_t, Entry> live;

  bool reserve() {
    if (base || reserve_failed) return base != 0;
    void* p = mmap(nullptr, static_cast<std::size_t>(kSlots * kStride), PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
      reserve_failed = true;
      return false;
    }
    base = reinterpret_cast<std::uintptr_t>(p);
    return true;
  }
};

Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: handles may be used at exit
  return *r;
}

}  // namespace

void* handle_add(HandleType type, void* object) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  if (!r.reserve()) return nullptr;
  // Serials wrap after kSlots creations, and then skip live handles.
  for (std::uint64_t tries = 0; tries < kSlots; ++tries) {
    const std::uint64_t slot = r.next;
    r.next = r.next + 1 == kSlots ? 1 : r.next + 1;
    const std::uintptr_t handle = r.base + static_cast<std::uintptr_t>(slot) * kStride;
    if (r.live.count(handle)) continue;
    r.live.emplace(handle, Entry{type, object});
    return reinterpret_cast<void*>(handle);
  }
  return nullptr;
}

void* handle_find(HandleType type, const void* handle) {
  if (!handle) return nullptr;
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto it = r.live.find(reinterpret_cast<std::uintptr_t>(handle));
  return it != r.live.end() && it->second.type == type ? it->second.object : nullptr;
}

void* handle_remove(HandleType type, const void* handle) {
  if (!handle) return nullptr;
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto it = r.live.find(reinterpret_cast<std::uintptr_t>(handle));
  if (it == r.live.end() || it->second.type != type) return nullptr;
  void* object = it->second.object;
  r.live.erase(it);
  return object;
}

}  // namespace hotline::capi
