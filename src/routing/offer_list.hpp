// The reservations a contact is offered under, in the order they were made.
// Nearly every contact is offered to one agent at a time (only ring all
// offers it to several), so the first reservation is held in the list
// itself: a contact offered for the first time, at scale most of them,
// then allocates nothing. Later ones go to a vector allocated when first
// needed and kept, as clear() keeps its buffer. Reservation ids are never 0,
// so 0 in the first slot marks the list empty: the list takes 16 bytes of
// the contact's record, where a vector took 24.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "hotline/routing/types.hpp"

namespace hotline::routing {

class OfferList {
 public:
  bool empty() const noexcept { return first_ == 0; }
  std::size_t size() const noexcept { return empty() ? 0 : 1 + (more_ ? more_->size() : 0); }
  ReservationId operator[](std::size_t i) const noexcept {
    return i == 0 ? first_ : (*more_)[i - 1];
  }

  // `id` is a reservation's, never 0.
  void push_back(ReservationId id) {
    if (empty()) {
      first_ = id;
    } else {
      if (!more_) more_ = std::make_unique<std::vector<ReservationId>>();
      more_->push_back(id);
    }
  }

  // Removes `id` if listed, keeping the others in their order.
  void erase(ReservationId id) {
    if (empty()) return;
    if (first_ == id) {
      if (!more_ || more_->empty()) {
        first_ = 0;
      } else {
        first_ = more_->front();
        more_->erase(more_->begin());
      }
      return;
    }
    if (!more_) return;
    for (auto it = more_->begin(); it != more_->end(); ++it) {
      if (*it == id) {
        more_->erase(it);
        return;
      }
    }
  }

  void clear() noexcept {
    first_ = 0;
    if (more_) more_->clear();
  }

  void swap(OfferList& o) noexcept {
    std::swap(first_, o.first_);
    std::swap(more_, o.more_);
  }

  // Calls f(id) for each reservation, in order.
  template <typename F>
  void for_each(F f) const {
    if (empty()) return;
    f(first_);
    if (!more_) return;
    for (ReservationId id : *more_) f(id);
  }

 private:
  ReservationId first_ = 0;  // 0: the list is empty
  std::unique_ptr<std::vector<ReservationId>> more_;  // from the second on
};

}  // namespace hotline::routing
