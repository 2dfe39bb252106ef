// A memory resource for the nodes of ordered sets: blocks of a few fixed
// sizes, each size kept on a free list of its own, so that a node allocated
// while routing is a list pop and a node freed a push.
//
// It stands where std::pmr::unsynchronized_pool_resource would. The one in
// GCC 12's library is not safe when its upstream resource throws: after an
// upstream std::bad_alloc, its next allocation crashes (a segmentation
// fault in do_allocate), so a router that had once run out of memory could
// not route again. Here an upstream failure changes nothing: the chunk is
// taken from upstream before any list or count is touched
// (tests/util/node_pool_test.cpp).
#pragma once

#include <array>
#include <cstddef>
#include <memory_resource>

namespace hotline::util {

class NodePool final : public std::pmr::memory_resource {
 public:
  // The largest block the pool keeps, and the most size classes it keeps
  // (a B-tree's leaf and inner node for each set type it serves); larger
  // blocks, stricter alignments and further sizes go straight upstream.
  static constexpr std::size_t kMaxBlock = 4096;
  static constexpr std::size_t kMaxAlignment = 64;
  static constexpr std::size_t kMaxClasses = 16;

  explicit NodePool(
      std::pmr::memory_resource* upstream = std::pmr::new_delete_resource()) noexcept;
  ~NodePool() override;
  NodePool(const NodePool&) = delete;
  NodePool& operator=(const NodePool&) = delete;

  // Blocks of its size classes handed out and not yet given back (what
  // went straight upstream is not counted).
  std::size_t blocks_in_use() const noexcept { return in_use_; }

 private:
  struct Chunk;  // a run of blocks of one class taken from upstream at once
  struct FreeBlock {
    FreeBlock* next;
  };
  struct SizeClass {
    std::size_t size = 0;       // a block's bytes: the request rounded up to its alignment
    std::size_t alignment = 0;  // 0: the class is unused
    FreeBlock* free = nullptr;  // blocks given back
    char* unused = nullptr;     // the newest chunk's blocks never handed out...
    char* unused_end = nullptr; // ...up to here
    Chunk* chunks = nullptr;    // every chunk of the class, newest first
    std::size_t next_blocks = 16;  // the next chunk's blocks: doubling, up to a cap
  };

  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  // The class that serves (bytes, alignment), made if there is room for
  // one; nullptr: the request goes upstream.
  SizeClass* class_for(std::size_t bytes, std::size_t alignment, bool make) noexcept;
  void add_chunk(SizeClass& c);

  std::pmr::memory_resource* upstream_;
  std::array<SizeClass, kMaxClasses> classes_{};
  std::size_t in_use_ = 0;
};

}  // namespace hotline::util
