/* The C ABI's basics, from C. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hotline.h"

int main(void) {
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", HL_VERSION_MAJOR, HL_VERSION_MINOR,
           HL_VERSION_PATCH);
  CHECK(strcmp(hl_version(), expected) == 0);
  CHECK(strcmp(hl_status_str(HL_OK), "ok") == 0);
  CHECK(strcmp(hl_status_str(HL_ENOTFOUND), "not found") == 0);
  CHECK(strcmp(hl_status_str(HL_EUSER), "aborted by host callback") == 0);
  CHECK(strcmp(hl_status_str(-999), "unknown status") == 0);
  CHECK(strcmp(hl_status_str(5), "unknown status") == 0);
  hl_free(NULL);
  return check_summary();
}
