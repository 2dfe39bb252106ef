#include <cstdlib>

#include "boundary.hpp"
#include "hotline/common.h"
#include "hotline/util/result.hpp"

static_assert(HL_EINVAL == -static_cast<int>(hotline::Errc::kInvalidArgument),
              "hl_status codes mirror hotline::Errc");
static_assert(HL_ENOMEM == -static_cast<int>(hotline::Errc::kNoMemory),
              "hl_status codes mirror hotline::Errc");

extern "C" {

const char* hl_status_str(int status) {
  if (status > 0 || status < HL_ENOMEM) return "unknown status";
  return hotline::errc_name(static_cast<hotline::Errc>(-status));
}

#define HL_STRINGIFY2(x) #x
#define HL_STRINGIFY(x) HL_STRINGIFY2(x)

const char* hl_version(void) {
  return HL_STRINGIFY(HL_VERSION_MAJOR) "." HL_STRINGIFY(HL_VERSION_MINOR) "." HL_STRINGIFY(
      HL_VERSION_PATCH);
}

void hl_free(void* ptr) { std::free(ptr); }

int hl_error_status(const hl_error* err) { return err ? err->status : HL_OK; }
const char* hl_error_message(const hl_error* err) { return err ? err->message.c_str() : ""; }
void hl_error_free(hl_error* err) { delete err; }

}  // extern "C"
