#include "hotline/util/node_pool.hpp"

#include <algorithm>
#include <cstdint>
#include <new>

namespace hotline::util {

// At the start of each chunk: what giving it back upstream needs.
struct NodePool::Chunk {
  Chunk* next;
  std::size_t bytes;
  std::size_t alignment;
};

namespace {

constexpr std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

// A chunk's blocks at most, so that a class's chunk stays a few hundred
// kilobytes however many nodes the sets hold.
constexpr std::size_t kMaxBlocksPerChunk = 1024;

}  // namespace

NodePool::NodePool(std::pmr::memory_resource* upstream) noexcept : upstream_(upstream) {}

NodePool::~NodePool() {
  for (SizeClass& c : classes_) {
    for (Chunk* chunk = c.chunks; chunk;) {
      Chunk* next = chunk->next;
      upstream_->deallocate(chunk, chunk->bytes, chunk->alignment);
      chunk = next;
    }
  }
}

NodePool::SizeClass* NodePool::class_for(std::size_t bytes, std::size_t alignment,
                                         bool make) noexcept {
  if (bytes == 0) bytes = 1;
  if (bytes > kMaxBlock || alignment > kMaxAlignment || (alignment & (alignment - 1)) != 0) {
    return nullptr;
  }
  // A block holds a free-list link when it is free.
  alignment = std::max(alignment, alignof(FreeBlock));
  const std::size_t size = round_up(std::max(bytes, sizeof(FreeBlock)), alignment);
  for (SizeClass& c : classes_) {
    if (c.alignment == 0) {
      if (!make) return nullptr;
      c.size = size;
      c.alignment = alignment;
      return &c;
    }
    if (c.size == size && c.alignment == alignment) return &c;
  }
  return nullptr;
}

void NodePool::add_chunk(SizeClass& c) {
  const std::size_t header = round_up(sizeof(Chunk), c.alignment);
  const std::size_t blocks = c.next_blocks;
  const std::size_t alignment = std::max(c.alignment, alignof(Chunk));
  const std::size_t bytes = header + blocks * c.size;
  // May throw: nothing of the class has changed yet.
  void* memory = upstream_->allocate(bytes, alignment);
  auto* chunk = new (memory) Chunk{c.chunks, bytes, alignment};
  c.chunks = chunk;
  c.unused = static_cast<char*>(memory) + header;
  c.unused_end = c.unused + blocks * c.size;
  c.next_blocks = std::min(blocks * 2, kMaxBlocksPerChunk);
}

void* NodePool::do_allocate(std::size_t bytes, std::size_t alignment) {
  SizeClass* c = class_for(bytes, alignment, true);
  if (!c) return upstream_->allocate(bytes, alignment);
  void* block;
  if (c->free) {
    block = c->free;
    c->free = c->free->next;
  } else {
    if (c->unused == c->unused_end) add_chunk(*c);
    block = c->unused;
    c->unused += c->size;
  }
  ++in_use_;
  return block;
}

void NodePool::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
  SizeClass* c = class_for(bytes, alignment, false);
  if (!c) {
    upstream_->deallocate(p, bytes, alignment);
    return;
  }
  c->free = new (p) FreeBlock{c->free};
  --in_use_;
}

}  // namespace hotline::util
