// The global operator new and delete of a test binary, replaced: every form
// (plain, array, nothrow, over-aligned) counted, and able to fail the Nth
// request from a given point with std::bad_alloc, so that a test can run a
// call once for each allocation it makes, failing that one.
//
// Replacement functions may not be inline: include this header in exactly
// one source file of a binary, and in no binary that replaces them itself.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace hotline::testing::allocations {

inline std::atomic<long> requests{0};  // calls of operator new, failed ones included
inline std::atomic<long> made{0};      // those that allocated
inline std::atomic<long> freed{0};
inline std::atomic<long> bytes{0};     // asked for by those that allocated
inline std::atomic<long> fail_at{0};   // when not 0, the request with this number throws
inline std::atomic<bool> failed{false};

// Fails the k-th request of operator new from now on (k = 1: the next).
inline void fail_in(long k) {
  failed = false;
  fail_at = requests.load() + k;
}
// Fails nothing more; returns whether the failure set by fail_in happened.
inline bool disarm() {
  fail_at = 0;
  return failed.load();
}
inline long live() { return made.load() - freed.load(); }

// `alignment` 0: malloc's own.
[[gnu::noinline]] inline void* allocate(std::size_t n, std::size_t alignment) {
  if (++requests == fail_at.load()) {
    failed = true;
    throw std::bad_alloc();
  }
  if (n == 0) n = 1;
  void* p = alignment == 0
                ? std::malloc(n)
                : std::aligned_alloc(alignment, (n + alignment - 1) / alignment * alignment);
  if (!p) throw std::bad_alloc();
  ++made;
  bytes += static_cast<long>(n);
  return p;
}

inline void* allocate_or_null(std::size_t n, std::size_t alignment) noexcept {
  try {
    return allocate(n, alignment);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

// Out of line: inlined into operator delete, GCC warns of a mismatched
// deallocation (-Wmismatched-new-delete), not seeing that operator new is
// malloc here.
[[gnu::noinline]] inline void release(void* p) noexcept {
  if (p) ++freed;
  std::free(p);
}

}  // namespace hotline::testing::allocations

void* operator new(std::size_t n) { return hotline::testing::allocations::allocate(n, 0); }
void* operator new[](std::size_t n) { return hotline::testing::allocations::allocate(n, 0); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return hotline::testing::allocations::allocate_or_null(n, 0);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return hotline::testing::allocations::allocate_or_null(n, 0);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return hotline::testing::allocations::allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return hotline::testing::allocations::allocate(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return hotline::testing::allocations::allocate_or_null(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return hotline::testing::allocations::allocate_or_null(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { hotline::testing::allocations::release(p); }
void operator delete[](void* p) noexcept { hotline::testing::allocations::release(p); }
void operator delete(void* p, std::size_t) noexcept { hotline::testing::allocations::release(p); }
void operator delete[](void* p, std::size_t) noexcept {
  hotline::testing::allocations::release(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  hotline::testing::allocations::release(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  hotline::testing::allocations::release(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  hotline::testing::allocations::release(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  hotline::testing::allocations::release(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  hotline::testing::allocations::release(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  hotline::testing::allocations::release(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  hotline::testing::allocations::release(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  hotline::testing::allocations::release(p);
}
