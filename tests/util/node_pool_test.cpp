#include "hotline/util/node_pool.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <iterator>
#include <map>
#include <memory_resource>
#include <new>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "hotline/util/btree_set.hpp"

namespace {

using hotline::util::NodePool;

// An upstream that counts what it hands out and can be told to fail its
// Nth allocation.
class CountingUpstream final : public std::pmr::memory_resource {
 public:
  long allocations = 0;
  long live = 0;
  long fail_at = 0;  // 0: never

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override {
    if (++allocations == fail_at) throw std::bad_alloc();
    ++live;
    return std::pmr::new_delete_resource()->allocate(bytes, alignment);
  }
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override {
    --live;
    std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
  }
  bool do_is_equal(const std::pmr::memory_resource& o) const noexcept override {
    return this == &o;
  }
};

bool aligned(const void* p, std::size_t alignment) {
  return reinterpret_cast<std::uintptr_t>(p) % alignment == 0;
}

TEST_CASE("node pool: blocks of each size are reused, aligned and apart") {
  CountingUpstream upstream;
  {
    NodePool pool(&upstream);
    std::vector<void*> small, large;
    for (int i = 0; i < 100; ++i) {
      small.push_back(pool.allocate(24, 8));
      large.push_back(pool.allocate(520, 64));
      std::memset(small.back(), 0xab, 24);  // blocks do not overlap: ASan and the checks below
      std::memset(large.back(), 0xcd, 520);
    }
    for (void* p : large) CHECK(aligned(p, 64));
    std::set<void*> distinct(small.begin(), small.end());
    distinct.insert(large.begin(), large.end());
    CHECK(distinct.size() == 200);
    CHECK(pool.blocks_in_use() == 200);
    const long chunks = upstream.allocations;
    CHECK(chunks <= 8);  // chunks of 16, 32, 64... blocks, per size

    // Given back, a block is the next one handed out for its size.
    pool.deallocate(small[7], 24, 8);
    CHECK(pool.allocate(24, 8) == small[7]);
    pool.deallocate(large[3], 520, 64);
    CHECK(pool.allocate(520, 64) == large[3]);
    CHECK(upstream.allocations == chunks);

    // Larger than a node, or more strictly aligned: straight upstream.
    void* big = pool.allocate(NodePool::kMaxBlock + 1, 8);
    void* strict = pool.allocate(64, 128);
    CHECK(aligned(strict, 128));
    CHECK(upstream.allocations == chunks + 2);
    pool.deallocate(big, NodePool::kMaxBlock + 1, 8);
    pool.deallocate(strict, 64, 128);
    CHECK(upstream.live == chunks);
    for (void* p : small) pool.deallocate(p, 24, 8);
    for (void* p : large) pool.deallocate(p, 520, 64);
    CHECK(pool.blocks_in_use() == 0);
  }
  CHECK(upstream.live == 0);  // every chunk given back with the pool
}

TEST_CASE("node pool: sizes beyond its classes go upstream and come back there") {
  CountingUpstream upstream;
  {
    NodePool pool(&upstream);
    std::vector<std::pair<void*, std::size_t>> blocks;
    for (std::size_t i = 0; i < NodePool::kMaxClasses + 4; ++i) {
      const std::size_t size = 16 * (i + 1);
      blocks.emplace_back(pool.allocate(size, 16), size);
    }
    // The classes' first chunks, then one upstream allocation per size
    // past the last class.
    CHECK(upstream.allocations == static_cast<long>(NodePool::kMaxClasses + 4));
    CHECK(pool.blocks_in_use() == NodePool::kMaxClasses);
    for (auto [p, size] : blocks) pool.deallocate(p, size, 16);
    CHECK(upstream.live == static_cast<long>(NodePool::kMaxClasses));
  }
  CHECK(upstream.live == 0);
}

TEST_CASE("node pool: an upstream failure changes nothing, and the pool goes on") {
  // Fail each of the first upstream allocations in turn, while a random
  // mix of sizes is allocated and freed; after each failure the pool keeps
  // serving, every block stays distinct and writable, and the pool gives
  // every chunk back.
  for (long fail = 1; fail <= 12; ++fail) {
    CAPTURE(fail);
    CountingUpstream upstream;
    upstream.fail_at = fail;
    int failures = 0;
    {
      NodePool pool(&upstream);
      std::mt19937 rng(static_cast<unsigned>(fail));
      const std::size_t sizes[] = {24, 136, 520, 1032};
      std::multimap<std::size_t, void*> held;
      for (int step = 0; step < 4000; ++step) {
        const std::size_t size = sizes[rng() % 4];
        if (rng() % 3 != 0 || held.empty()) {
          try {
            void* p = pool.allocate(size, 8);
            std::memset(p, 0x5a, size);
            held.emplace(size, p);
          } catch (const std::bad_alloc&) {
            ++failures;
          }
        } else {
          auto it = held.begin();
          std::advance(it, static_cast<long>(rng() % held.size()));
          pool.deallocate(it->second, it->first, 8);
          held.erase(it);
        }
      }
      std::set<void*> distinct;
      for (auto& [size, p] : held) distinct.insert(p);
      CHECK(distinct.size() == held.size());
      CHECK(pool.blocks_in_use() == held.size());
      for (auto& [size, p] : held) pool.deallocate(p, size, 8);
    }
    CHECK(failures == 1);
    CHECK(upstream.live == 0);
  }
}

TEST_CASE("node pool: serves a B-tree set as the router uses it") {
  CountingUpstream upstream;
  {
    NodePool pool(&upstream);
    hotline::BTreeSet<std::int64_t> set(&pool);
    std::set<std::int64_t> model;
    std::mt19937_64 rng(3);
    for (int i = 0; i < 50000; ++i) {
      const std::int64_t k = static_cast<std::int64_t>(rng() % 20000);
      if (rng() % 2) {
        set.insert(k);
        model.insert(k);
      } else {
        set.erase(k);
        model.erase(k);
      }
    }
    CHECK(set.size() == model.size());
    std::vector<std::int64_t> in_set;
    for (auto it = set.begin(); it != set.end(); ++it) in_set.push_back(*it);
    CHECK(in_set == std::vector<std::int64_t>(model.begin(), model.end()));
  }
  CHECK(upstream.live == 0);
}

}  // namespace
