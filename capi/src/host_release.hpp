// The promise behind a host vtable's destroy slot: the library calls it
// once, with the table's `user`, when it drops the table, and never again.
// A HostRelease carries that call and makes it when it is run, replaced or
// destroyed, whichever comes first; moving it hands the duty on.
#pragma once

#include <utility>

namespace hotline::capi {

class HostRelease {
 public:
  using Destroy = void (*)(void* user);

  HostRelease() = default;
  HostRelease(Destroy destroy, void* user) : destroy_(destroy), user_(user) {}
  HostRelease(const HostRelease&) = delete;
  HostRelease& operator=(const HostRelease&) = delete;
  HostRelease(HostRelease&& other) noexcept
      : destroy_(std::exchange(other.destroy_, nullptr)), user_(other.user_) {}
  HostRelease& operator=(HostRelease&& other) noexcept {
    if (this != &other) {
      run();
      destroy_ = std::exchange(other.destroy_, nullptr);
      user_ = other.user_;
    }
    return *this;
  }
  ~HostRelease() { run(); }

  // Calls destroy (if there is one) now; later runs do nothing.
  void run() noexcept {
    if (Destroy d = std::exchange(destroy_, nullptr)) d(user_);
  }

 private:
  Destroy destroy_ = nullptr;
  void* user_ = nullptr;
};

}  // namespace hotline::capi
