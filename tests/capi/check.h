/* A minimal check macro for the C tests: counts, reports, never aborts. */
#ifndef HOTLINE_TESTS_CAPI_CHECK_H
#define HOTLINE_TESTS_CAPI_CHECK_H

#include <stdio.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    ++checks;                                                                  \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

/* Prints the summary line test runners read and returns main's exit code. */
static int check_summary(void) {
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}

#endif
