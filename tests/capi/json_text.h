/* Reading the library's JSON answers in the C tests without a JSON parser:
 * enough to find a word in one, or an integer field's value. */
#ifndef HOTLINE_TESTS_CAPI_JSON_TEXT_H
#define HOTLINE_TESTS_CAPI_JSON_TEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether `needle` occurs in `haystack` (false for a NULL haystack). */
static inline int contains(const char *haystack, const char *needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

/* How many times `needle` occurs in `haystack`, not overlapping (0 for a
 * NULL haystack). */
static inline int count_of(const char *haystack, const char *needle) {
  int n = 0;
  const char *p = haystack;
  while (p != NULL && *needle != '\0' && (p = strstr(p, needle)) != NULL) {
    ++n;
    p += strlen(needle);
  }
  return n;
}

/* The integer after "key": in a JSON object's text, or -1 when absent. */
static inline long long json_int(const char *json, const char *key) {
  char pattern[64];
  const char *p;
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  p = json ? strstr(json, pattern) : NULL;
  return p ? atoll(p + strlen(pattern)) : -1;
}

#endif
