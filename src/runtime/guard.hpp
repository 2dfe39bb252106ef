// The runtime's one exception boundary: what a host callback, a sink or a
// posted event throws becomes an error value, so nothing unwinds through
// libuv and one failure never stops the rest of a batch.
#pragma once

#include <exception>
#include <new>
#include <string>

#include "hotline/util/result.hpp"

namespace hotline::runtime {

template <typename F>
Status guard(F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return make_error(Errc::kNoMemory, "out of memory");
  } catch (const std::exception& e) {
    return make_error(Errc::kInternal, std::string("internal error: ") + e.what());
  } catch (...) {
    return make_error(Errc::kInternal, "internal error");
  }
}

}  // namespace hotline::runtime
