#include "hotline/util/result.hpp"

namespace hotline {

const char* errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::kOk: return "ok";
    case Errc::kInvalidArgument: return "invalid argument";
    case Errc::kNotFound: return "not found";
    case Errc::kExists: return "already exists";
    case Errc::kIllegalState: return "illegal state";
    case Errc::kFull: return "full";
    case Errc::kPermission: return "permission denied";
    case Errc::kIo: return "I/O error";
    case Errc::kBusy: return "busy";
    case Errc::kUser: return "aborted by host callback";
    case Errc::kInternal: return "internal error";
    case Errc::kNoMemory: return "out of memory";
  }
  return "unknown error";
}

}  // namespace hotline
