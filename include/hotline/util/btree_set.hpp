// BTreeSet: an ordered set of small, trivially copyable keys in a B+ tree.
// Keys sit side by side in leaves of about 512 bytes, and the leaves are
// linked in order, so walking the set in order reads consecutive memory: a
// cache miss per leaf where a red-black tree takes one per key, and half the
// bytes per key (no per-key node header). A leaf that falls below half full
// merges with a neighbour under the same parent when both fit in seven
// eighths of a leaf (the slack keeps a merged leaf from splitting again on
// the next few inserts), and a full leaf that is not the last hands a key
// to a neighbour under the same parent when that is cheap, rather than
// splitting; so the leaves a walk crosses are mostly more than half full. A
// leaf left empty is unlinked at once, so a walk never crosses an empty
// leaf.
//
// A leaf's keys occupy keys[begin, end): taking out its first key (the
// oldest waiting contact, a stale entry at the head) moves the start on
// rather than every key after it down, which would touch every cache line of
// the leaf where a walk of the head reads one or two. Keys move down again
// when a key is added at a full end (a few before it, or all of them once a
// quarter of the leaf is free at its start), when leaves merge, or when a
// key spills into a left neighbour; a right neighbour taking a spilled key
// with no room before its keys moves them up a slot.
//
// A set may keep a summary with each key (`Summary`, a small trivially
// copyable value given with the key, which the order does not read) in a
// dense array beside the leaf's keys, ahead of them: a walk that passes
// over most keys on what their summaries tell reads the summaries' one or
// two lines per leaf rather than every line of its keys. Summaries move
// with their keys.
//
// Iterators are invalidated by every insert and erase: callers that change
// the set while walking it collect keys first and erase by key afterwards.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory_resource>
#include <new>
#include <type_traits>
#include <utility>

namespace hotline {

namespace btree_set_detail {
struct NoSummary {};
}  // namespace btree_set_detail

template <typename Key, typename Less = std::less<Key>, typename SummaryType = void>
class BTreeSet {
  static_assert(std::is_trivially_copyable_v<Key>, "keys are moved with plain copies");
  static constexpr bool kSummaries = !std::is_void_v<SummaryType>;

 public:
  using Summary =
      std::conditional_t<kSummaries, SummaryType, btree_set_detail::NoSummary>;

 private:
  static_assert(std::is_trivially_copyable_v<Summary>, "summaries are moved with plain copies");
  static constexpr std::size_t kNodeBytes = 512;
  static constexpr std::size_t kSlotBytes = sizeof(Key) + (kSummaries ? sizeof(Summary) : 0);
  static constexpr std::size_t kLeafCapacity =
      std::max<std::size_t>(4, (kNodeBytes - 3 * sizeof(void*)) / kSlotBytes);
  // Two leaves merge only into seven eighths of a leaf: merged into a full
  // one, the next insert there split it again, and a few keys taken and
  // given back in turn allocated and freed a leaf each time.
  static constexpr std::size_t kMergeLimit = kLeafCapacity * 7 / 8;
  static constexpr std::size_t kFanOut =
      std::max<std::size_t>(4, (kNodeBytes - sizeof(void*) + sizeof(Key)) /
                                   (sizeof(Key) + sizeof(void*)));
  // Deep enough for any set that fits in memory: each level multiplies by 4 at least.
  static constexpr int kMaxHeight = 32;

  struct Leaf {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::size_t size() const noexcept { return end - begin; }
    Leaf* prev = nullptr;
    Leaf* next = nullptr;
    // Right after the header, so a walk's first summaries lie near it (a
    // leaf is not aligned to a cache line: prefetch_front loads the
    // summaries' own lines).
    [[no_unique_address]] std::conditional_t<kSummaries, Summary[kLeafCapacity], Summary>
        summaries;
    Key keys[kLeafCapacity];
  };
  // children[i] holds keys in [separators[i - 1], separators[i]).
  struct Inner {
    std::size_t count = 0;  // children
    Key separators[kFanOut - 1];
    void* children[kFanOut];
  };
  struct Step {
    Inner* node;
    std::size_t child;
  };

 public:
  class const_iterator {
   public:
    const_iterator() = default;
    const Key& operator*() const noexcept { return leaf_->keys[pos_]; }
    const Key* operator->() const noexcept { return &leaf_->keys[pos_]; }
    // The summary given with the key, read from the dense array.
    const Summary& summary() const noexcept {
      static_assert(kSummaries, "the set keeps no summaries");
      return leaf_->summaries[pos_];
    }
    const_iterator& operator++() noexcept {
      if (++pos_ == leaf_->end) {
        leaf_ = leaf_->next;  // never empty: see the class comment
        pos_ = leaf_ ? leaf_->begin : 0;
      }
      return *this;
    }
    bool operator==(const const_iterator& o) const noexcept {
      return leaf_ == o.leaf_ && pos_ == o.pos_;
    }
    bool operator!=(const const_iterator& o) const noexcept { return !(*this == o); }

   private:
    friend class BTreeSet;
    const_iterator(const Leaf* leaf, std::size_t pos) : leaf_(leaf), pos_(pos) {}
    const Leaf* leaf_ = nullptr;
    std::size_t pos_ = 0;
  };
  using iterator = const_iterator;

  explicit BTreeSet(std::pmr::memory_resource* memory = std::pmr::get_default_resource())
      : memory_(memory) {}
  BTreeSet(BTreeSet&& o) noexcept
      : memory_(o.memory_), root_(o.root_), first_(o.first_), height_(o.height_),
        first_begin_(o.first_begin_), size_(o.size_), second_(o.second_) {
    o.root_ = nullptr;
    o.first_ = nullptr;
    o.second_ = SecondLeaf{};
    o.height_ = 0;
    o.first_begin_ = 0;
    o.size_ = 0;
  }
  BTreeSet& operator=(BTreeSet&& o) noexcept {
    if (this != &o) {
      clear();
      memory_ = o.memory_;
      std::swap(root_, o.root_);
      std::swap(first_, o.first_);
      std::swap(height_, o.height_);
      std::swap(first_begin_, o.first_begin_);
      std::swap(size_, o.size_);
      std::swap(second_, o.second_);
    }
    return *this;
  }
  BTreeSet(const BTreeSet&) = delete;
  BTreeSet& operator=(const BTreeSet&) = delete;
  ~BTreeSet() { clear(); }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  const_iterator begin() const noexcept {
    return size_ == 0 ? end() : const_iterator(first_, first_begin_);
  }
  const_iterator end() const noexcept { return const_iterator(); }

  // Starts loading the first keys into the cache, for a walk from begin()
  // about to come: the caller's other work then hides the miss. The first
  // leaf's start is kept here, so the lines of its first keys are known
  // without reading the leaf. Always inlined: called out of line, GCC 12
  // judges a function that only prefetches free of effects and deletes the
  // call, so nothing would be loaded.
  // With summaries, their lines come first: a walk reads them for every key
  // it passes and the keys only of those it looks at.
  [[gnu::always_inline]] void prefetch_front() const noexcept {
    if (size_ == 0) return;
    __builtin_prefetch(first_);
    if constexpr (kSummaries) {
      // The walk's first summaries, wherever the start offset puts them,
      // and the line after (a leaf's summaries span two), then its first key.
      const char* summaries = reinterpret_cast<const char*>(first_->summaries + first_begin_);
      __builtin_prefetch(summaries);
      __builtin_prefetch(summaries + 64);
      __builtin_prefetch(first_->keys + first_begin_);
      // A walk at scale crosses into the second leaf: its header and first
      // summaries load now too, not once the first leaf's header names it.
      if (second_) {
        __builtin_prefetch(second_);
        __builtin_prefetch(reinterpret_cast<const char*>(second_) + 64);
      }
    } else {
      const char* head = reinterpret_cast<const char*>(first_->keys + first_begin_);
      __builtin_prefetch(head);
      __builtin_prefetch(head + 64);
    }
  }

  // Whether the second leaf kept beside the first is the first leaf's next:
  // prefetch_front reads it in place of the link, and nothing else would
  // notice it wrong.
  bool second_leaf_matches_for_testing() const noexcept {
    if constexpr (kSummaries) {
      return second_ == (first_ ? first_->next : nullptr);
    } else {
      return true;
    }
  }

  // The first key not less than `key`.
  const_iterator lower_bound(const Key& key) const noexcept {
    if (size_ == 0) return end();
    const void* node = root_;
    for (int level = 0; level < height_; ++level) {
      const Inner* in = static_cast<const Inner*>(node);
      node = in->children[child_for(in, key)];
    }
    const Leaf* leaf = static_cast<const Leaf*>(node);
    const std::size_t pos = position_in(leaf, key);
    if (pos < leaf->end) return const_iterator(leaf, pos);
    return leaf->next ? const_iterator(leaf->next, leaf->next->begin) : end();
  }

  const_iterator find(const Key& key) const noexcept {
    const_iterator it = lower_bound(key);
    return it != end() && !less_(key, *it) ? it : end();
  }

  // False if an equal key is present (the set is left unchanged). The nodes
  // a split needs are all allocated before anything changes: when an
  // allocation fails, the exception leaves the set as it was.
  bool insert(const Key& key) {
    static_assert(!kSummaries, "a set with summaries takes each key's summary");
    return insert(key, Summary{});
  }
  // For a set with summaries: the key and its summary.
  bool insert(const Key& key, const Summary& summary) {
    if (!root_) {
      first_ = new_leaf();
      root_ = first_;
    }
    Step path[kMaxHeight];
    Leaf* leaf = descend(key, path);
    const std::size_t pos = position_in(leaf, key);
    if (pos < leaf->end && !less_(key, leaf->keys[pos])) return false;
    if (leaf->end < kLeafCapacity) {
      ++size_;
      insert_into(leaf, pos, key, summary);
      return true;
    }
    // Full at its end with room before its first key. When a quarter of the
    // leaf or more is free there, the keys move to its start: the inserts
    // that fill that room pay for the moves. With less room, the keys before
    // `pos` move down one slot when they are few (a key added near the
    // front); otherwise the leaf splits. Moving the keys before `pos` down
    // one slot on every insert would move a whole leaf per key added to a
    // set used as a queue (taken from the front, added at the back).
    if (leaf->begin * 4 >= kLeafCapacity) {
      ++size_;
      const std::size_t shift = leaf->begin;
      compact(leaf);
      insert_into(leaf, pos - shift, key, summary);
      return true;
    }
    if (leaf->begin > 0 && (pos - leaf->begin) * 4 <= kLeafCapacity) {
      ++size_;
      move_slots(leaf, leaf->begin, pos, leaf, leaf->begin - 1);
      write(leaf, pos - 1, key, summary);
      --leaf->begin;
      if (leaf == first_) first_begin_ = leaf->begin;
      return true;
    }
    // Keys that arrive in order (the longest idle agent's, the newest
    // contact's) go past the last key: the full leaf stays full and the key
    // starts a new one, where an even split would leave every leaf half empty.
    const bool appending = pos == leaf->end && !leaf->next;
    // Otherwise a neighbour with room takes the key at the boundary, and
    // the leaf does not split. Keys that leave a set's head and come back
    // to their places (an agent offered a contact, then free again) split
    // its first leaves in half and left them half empty, and a walk of the
    // head crossed twice as many leaves.
    if (!appending && height_ > 0 && spill(path[height_ - 1], leaf, pos, key, summary)) {
      ++size_;
      return true;
    }
    // The leaf splits, and so does every full inner node above it; a new
    // root when they are all full.
    int full = 0;
    while (full < height_ && path[height_ - 1 - full].node->count == kFanOut) ++full;
    Spare spare(memory_);
    spare.leaf = new_leaf();
    const int inners = full + (full == height_ ? 1 : 0);
    for (int i = 0; i < inners; ++i) spare.inners[spare.count++] = new_inner();
    ++size_;
    Leaf* right = split(leaf, appending ? leaf->end : leaf->begin + leaf->size() / 2,
                        spare.take_leaf());
    if (pos <= leaf->end && leaf->end < kLeafCapacity) {
      insert_into(leaf, pos, key, summary);
    } else {
      insert_into(right, pos - leaf->end, key, summary);
    }
    add_child(path, height_ - 1, right->keys[0], right, spare);
    return true;
  }

  // Overwrites the key equal to `key` (in the order) with `key`, for fields
  // the order does not read; false if there is none. Never allocates.
  bool assign(const Key& key) noexcept {
    static_assert(!kSummaries, "a set with summaries takes each key's summary");
    return assign(key, Summary{});
  }
  // For a set with summaries: the summary is written over too.
  bool assign(const Key& key, const Summary& summary) noexcept {
    if (size_ == 0) return false;
    Step path[kMaxHeight];
    Leaf* leaf = descend(key, path);
    const std::size_t pos = position_in(leaf, key);
    if (pos == leaf->end || less_(key, leaf->keys[pos])) return false;
    write(leaf, pos, key, summary);
    return true;
  }

  // False if no equal key is present.
  bool erase(const Key& key) {
    if (size_ == 0) return false;
    // Keys are mostly erased near the front (the oldest waiting contact, the
    // stale entries a walk met at the head): when the key belongs to the
    // first leaf and the leaf stays full enough, no descent is needed, and
    // the first leaf is the one the walk has just read. Separators only
    // bound keys from below, so taking a key out of a leaf leaves them right.
    // The first key itself is asked first: then neither the leaf's last key
    // nor any other line of it is read, unless the first leaf is at most
    // half full: then the next leaf's size is read, and if the two would
    // merge (see `rebalance`) the erase takes the path that merges them,
    // since the first leaf is where a walk starts.
    if (first_->size() > kLeafCapacity / 4 &&
        (first_->size() > kLeafCapacity / 2 || !first_->next ||
         first_->size() - 1 + first_->next->size() > kMergeLimit)) {
      const Key& head = first_->keys[first_begin_];
      if (!less_(key, head) && !less_(head, key)) {
        first_begin_ = ++first_->begin;
        --size_;
        return true;
      }
      if (!less_(first_->keys[first_->end - 1], key)) {
        const std::size_t pos = position_in(first_, key);
        if (less_(key, first_->keys[pos])) return false;
        take_out(first_, pos);
        --size_;
        return true;
      }
    }
    Step path[kMaxHeight];
    Leaf* leaf = descend(key, path);
    const std::size_t pos = position_in(leaf, key);
    if (pos == leaf->end || less_(key, leaf->keys[pos])) return false;
    take_out(leaf, pos);
    --size_;
    if (height_ > 0 && leaf->size() < kLeafCapacity / 2) rebalance(path, leaf);
    return true;
  }

  void clear() noexcept {
    if (root_) destroy(root_, height_);
    root_ = nullptr;
    first_ = nullptr;
    height_ = 0;
    first_begin_ = 0;
    size_ = 0;
    second_ = SecondLeaf{};
  }

 private:
  static std::size_t child_for(const Inner* in, const Key& key) noexcept {
    return static_cast<std::size_t>(
        std::upper_bound(in->separators, in->separators + in->count - 1, key, Less{}) -
        in->separators);
  }
  static std::size_t position_in(const Leaf* leaf, const Key& key) noexcept {
    return static_cast<std::size_t>(
        std::lower_bound(leaf->keys + leaf->begin, leaf->keys + leaf->end, key, Less{}) -
        leaf->keys);
  }

  Leaf* descend(const Key& key, Step* path) const noexcept {
    void* node = root_;
    for (int level = 0; level < height_; ++level) {
      Inner* in = static_cast<Inner*>(node);
      const std::size_t child = child_for(in, key);
      path[level] = Step{in, child};
      node = in->children[child];
    }
    return static_cast<Leaf*>(node);
  }

  static void write(Leaf* leaf, std::size_t pos, const Key& key, const Summary& summary) noexcept {
    leaf->keys[pos] = key;
    if constexpr (kSummaries) leaf->summaries[pos] = summary;
  }

  // Moves the keys in slots [first, last) of `from`, with their summaries,
  // to slots from `to_pos` on of `to` (the same leaf or another; the ranges
  // may overlap).
  static void move_slots(Leaf* from, std::size_t first, std::size_t last, Leaf* to,
                         std::size_t to_pos) noexcept {
    if (first == last) return;
    std::memmove(static_cast<void*>(to->keys + to_pos), from->keys + first,
                 (last - first) * sizeof(Key));
    if constexpr (kSummaries) {
      std::memmove(static_cast<void*>(to->summaries + to_pos), from->summaries + first,
                   (last - first) * sizeof(Summary));
    }
  }

  // With room after the last key.
  static void insert_into(Leaf* leaf, std::size_t pos, const Key& key,
                          const Summary& summary) noexcept {
    move_slots(leaf, pos, leaf->end, leaf, pos + 1);
    write(leaf, pos, key, summary);
    ++leaf->end;
  }

  // Takes out the key at `pos`, moving whichever side of it is shorter.
  void take_out(Leaf* leaf, std::size_t pos) noexcept {
    if (pos - leaf->begin < leaf->end - pos - 1) {
      move_slots(leaf, leaf->begin, pos, leaf, leaf->begin + 1);
      ++leaf->begin;
      if (leaf == first_) first_begin_ = leaf->begin;
    } else {
      move_slots(leaf, pos + 1, leaf->end, leaf, pos);
      --leaf->end;
    }
  }

  // Moves a leaf's keys to its start.
  void compact(Leaf* leaf) noexcept {
    if (leaf->begin == 0) return;
    move_slots(leaf, leaf->begin, leaf->end, leaf, 0);
    leaf->end -= leaf->begin;
    leaf->begin = 0;
    if (leaf == first_) first_begin_ = 0;
  }

  // Nodes allocated for one insert before it changes anything; those it did
  // not use are given back.
  struct Spare {
    explicit Spare(std::pmr::memory_resource* m) noexcept : memory(m) {}
    Spare(const Spare&) = delete;
    Spare& operator=(const Spare&) = delete;
    ~Spare() {
      if (leaf) memory->deallocate(leaf, sizeof(Leaf), alignof(Leaf));
      for (int i = 0; i < count; ++i) memory->deallocate(inners[i], sizeof(Inner), alignof(Inner));
    }
    Leaf* take_leaf() noexcept { return std::exchange(leaf, nullptr); }
    Inner* take_inner() noexcept { return inners[--count]; }
    std::pmr::memory_resource* memory;
    Leaf* leaf = nullptr;
    Inner* inners[kMaxHeight + 1];
    int count = 0;
  };

  // Adds `key` at `pos` of a full leaf by moving the leaf's key at one end
  // (or `key` itself, when it goes there) into the neighbour on that side
  // under the same parent, if it has room; the separator between the two
  // becomes the right one's first key. False (nothing changed) when neither
  // has room that is cheap to use: a key goes in front of a right
  // neighbour's keys only if there is room before them or they are few, and
  // after a left neighbour's only if there is room after them or a quarter
  // of it is free at its start (the compaction rule of `insert`), so the
  // neighbour moves a few keys, not all of them. The full leaf itself may
  // move most of its keys (into place for `key`), as an insert into a leaf
  // does. Never allocates.
  bool spill(const Step& up, Leaf* leaf, std::size_t pos, const Key& key,
             const Summary& summary) noexcept {
    Inner* parent = up.node;
    const std::size_t at = up.child;
    if (at + 1 < parent->count) {
      Leaf* right = static_cast<Leaf*>(parent->children[at + 1]);
      if (right->begin > 0 ||
          (right->end < kLeafCapacity && right->size() * 2 <= kLeafCapacity)) {
        if (right->begin == 0) {
          move_slots(right, 0, right->end, right, 1);
          ++right->begin;
          ++right->end;
        }
        --right->begin;
        if (pos == leaf->end) {
          write(right, right->begin, key, summary);
        } else {
          move_slots(leaf, leaf->end - 1, leaf->end, right, right->begin);
          --leaf->end;
          insert_into(leaf, pos, key, summary);
        }
        parent->separators[at] = right->keys[right->begin];
        return true;
      }
    }
    if (at > 0) {
      Leaf* left = static_cast<Leaf*>(parent->children[at - 1]);
      if (left->end < kLeafCapacity || left->begin * 4 >= kLeafCapacity) {
        if (left->end == kLeafCapacity) compact(left);
        if (pos == leaf->begin) {
          write(left, left->end, key, summary);
        } else {
          // The leaf's first key goes; the keys before `pos` move down into
          // its slot (the leaf has a left neighbour: it is not the first).
          move_slots(leaf, leaf->begin, leaf->begin + 1, left, left->end);
          move_slots(leaf, leaf->begin + 1, pos, leaf, leaf->begin);
          write(leaf, pos - 1, key, summary);
        }
        ++left->end;
        parent->separators[at - 1] = leaf->keys[leaf->begin];
        return true;
      }
    }
    return false;
  }

  // Moves the keys of a full leaf from slot `keep` on into `right`, a new
  // leaf, linked after it.
  Leaf* split(Leaf* leaf, std::size_t keep, Leaf* right) noexcept {
    move_slots(leaf, keep, leaf->end, right, 0);
    right->end = static_cast<std::uint32_t>(leaf->end - keep);
    leaf->end = static_cast<std::uint32_t>(keep);
    right->next = leaf->next;
    if (right->next) right->next->prev = right;
    right->prev = leaf;
    leaf->next = right;
    if constexpr (kSummaries) {
      if (leaf == first_) second_ = right;
    }
    return right;
  }

  // Puts `child` (keys from `separator` up) right after path[level]'s child,
  // splitting inner nodes up to the root as they fill.
  void add_child(Step* path, int level, Key separator, void* child, Spare& spare) noexcept {
    for (; level >= 0; --level) {
      Inner* in = path[level].node;
      const std::size_t at = path[level].child;
      if (in->count < kFanOut) {
        insert_child(in, at, separator, child);
        return;
      }
      // Split: the first `keep` children stay; the separator between the
      // halves moves up.
      Key seps[kFanOut];
      void* kids[kFanOut + 1];
      std::copy(in->separators, in->separators + at, seps);
      seps[at] = separator;
      std::copy(in->separators + at, in->separators + in->count - 1, seps + at + 1);
      std::copy(in->children, in->children + at + 1, kids);
      kids[at + 1] = child;
      std::copy(in->children + at + 1, in->children + in->count, kids + at + 2);
      const std::size_t total = in->count + 1;
      // As with leaves: a child added last leaves the others where they are.
      const std::size_t keep = at + 2 == total ? total - 1 : total / 2;
      Inner* right = spare.take_inner();
      std::copy(kids, kids + keep, in->children);
      std::copy(seps, seps + keep - 1, in->separators);
      in->count = keep;
      std::copy(kids + keep, kids + total, right->children);
      std::copy(seps + keep, seps + total - 1, right->separators);
      right->count = total - keep;
      separator = seps[keep - 1];
      child = right;
    }
    Inner* root = spare.take_inner();
    root->count = 2;
    root->children[0] = root_;
    root->children[1] = child;
    root->separators[0] = separator;
    root_ = root;
    ++height_;
  }

  static void insert_child(Inner* in, std::size_t at, const Key& separator, void* child) noexcept {
    std::copy_backward(in->separators + at, in->separators + in->count - 1,
                       in->separators + in->count);
    in->separators[at] = separator;
    std::copy_backward(in->children + at + 1, in->children + in->count,
                       in->children + in->count + 1);
    in->children[at + 1] = child;
    ++in->count;
  }

  // Drops child `at`, with the separator on its left (or, for the first
  // child, on its right): the neighbour's range widens over the gap.
  static void remove_child(Inner* in, std::size_t at) noexcept {
    if (in->count > 1) {
      const std::size_t sep = at > 0 ? at - 1 : 0;
      std::copy(in->separators + sep + 1, in->separators + in->count - 1, in->separators + sep);
    }
    std::copy(in->children + at + 1, in->children + in->count, in->children + at);
    --in->count;
  }

  // A leaf below half full (not the root) merges into a neighbour under the
  // same parent when both fit in kMergeLimit, or goes if empty. The head of a free
  // set loses the keys of the agents taken from it and keeps those of the
  // agents passed over: merging only below a quarter full left a walk of
  // it crossing leaves of six or seven keys.
  void rebalance(Step* path, Leaf* leaf) {
    Inner* parent = path[height_ - 1].node;
    const std::size_t at = path[height_ - 1].child;
    if (leaf->size() > 0) {
      // The neighbour on the right if both fit, else the one on the left:
      // keys taken in order leave each leaf thin beside a full one.
      const auto fits = [&](std::size_t i) {
        return static_cast<const Leaf*>(parent->children[i])->size() + leaf->size() <=
               kMergeLimit;
      };
      std::size_t left_at;
      if (at + 1 < parent->count && fits(at + 1)) {
        left_at = at;
      } else if (at > 0 && fits(at - 1)) {
        left_at = at - 1;
      } else {
        return;
      }
      Leaf* left = static_cast<Leaf*>(parent->children[left_at]);
      Leaf* right = static_cast<Leaf*>(parent->children[left_at + 1]);
      compact(left);
      move_slots(right, right->begin, right->end, left, left->end);
      left->end += right->end - right->begin;
      right->begin = right->end = 0;
      leaf = right;
      path[height_ - 1].child = left_at + 1;
    }
    unlink(leaf);
    // Remove the empty node and any parent it leaves empty.
    for (int level = height_ - 1; level >= 0; --level) {
      Inner* in = path[level].node;
      remove_child(in, path[level].child);
      if (in->count > 0) break;
      free_inner(in);  // never the root: the root keeps at least two children
    }
    while (height_ > 0 && static_cast<Inner*>(root_)->count == 1) {
      Inner* old = static_cast<Inner*>(root_);
      root_ = old->children[0];
      free_inner(old);
      --height_;
    }
  }

  void unlink(Leaf* leaf) noexcept {
    if (leaf->prev) leaf->prev->next = leaf->next;
    if (leaf->next) leaf->next->prev = leaf->prev;
    if (first_ == leaf) {
      first_ = leaf->next;
      first_begin_ = first_ ? first_->begin : 0;
      if constexpr (kSummaries) second_ = first_ ? first_->next : nullptr;
    } else if constexpr (kSummaries) {
      if (leaf == second_) second_ = leaf->next;
    }
    free_leaf(leaf);
  }

  Leaf* new_leaf() { return new (memory_->allocate(sizeof(Leaf), alignof(Leaf))) Leaf; }
  Inner* new_inner() { return new (memory_->allocate(sizeof(Inner), alignof(Inner))) Inner; }
  void free_leaf(Leaf* leaf) noexcept { memory_->deallocate(leaf, sizeof(Leaf), alignof(Leaf)); }
  void free_inner(Inner* in) noexcept { memory_->deallocate(in, sizeof(Inner), alignof(Inner)); }

  void destroy(void* node, int height) noexcept {
    if (height == 0) {
      free_leaf(static_cast<Leaf*>(node));
      return;
    }
    Inner* in = static_cast<Inner*>(node);
    for (std::size_t i = 0; i < in->count; ++i) destroy(in->children[i], height - 1);
    free_inner(in);
  }

  std::pmr::memory_resource* memory_;
  void* root_ = nullptr;
  Leaf* first_ = nullptr;
  int height_ = 0;  // inner levels above the leaves
  std::uint32_t first_begin_ = 0;  // first_->begin, read without the leaf
  std::size_t size_ = 0;
  // With summaries (a free set, whose walks cross into it), first_->next,
  // read without the first leaf; otherwise nothing, and a set stays five
  // words.
  using SecondLeaf = std::conditional_t<kSummaries, Leaf*, btree_set_detail::NoSummary>;
  [[no_unique_address]] SecondLeaf second_{};
  // Takes no room: a set is then five words, and fits in a line with others.
  [[no_unique_address]] Less less_{};
};

}  // namespace hotline
