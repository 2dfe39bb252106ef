/*
 * Hotline C ABI: status codes, version, memory.
 *
 * Every function returns an hl_status: HL_OK (0) or a negative error code.
 * Codes are only ever appended. Strings the library allocates for the caller
 * are released with hl_free().
 */
#ifndef HOTLINE_COMMON_H
#define HOTLINE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(HL_STATIC)
#define HL_API
#elif defined(HL_BUILDING_LIBRARY)
#define HL_API __attribute__((visibility("default")))
#else
#define HL_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define HL_VERSION_MAJOR 0
#define HL_VERSION_MINOR 3
#define HL_VERSION_PATCH 0

typedef enum hl_status {
  HL_OK = 0,
  HL_EINVAL = -1,    /* malformed input: bad JSON, bad expression, bad value */
  HL_ENOTFOUND = -2, /* unknown id */
  HL_EEXISTS = -3,   /* duplicate id */
  HL_ESTATE = -4,    /* a transition the state machine does not allow */
  HL_EFULL = -5,     /* a capacity or length limit refused the request */
  HL_EPERM = -6,     /* the caller's role may not do this */
  HL_EIO = -7,       /* storage or host I/O failed */
  HL_EBUSY = -8,     /* the resource is locked; retry later */
  HL_EUSER = -9,     /* a host callback aborted the operation */
  HL_EINTERNAL = -10,
  HL_ENOMEM = -11
} hl_status;

/* Static text for a status code; never NULL. */
HL_API const char *hl_status_str(int status);

/* The library's version as "MAJOR.MINOR.PATCH"; static, never NULL. */
HL_API const char *hl_version(void);

/* Frees memory the library allocated for the caller. Accepts NULL. */
HL_API void hl_free(void *ptr);

/* A failed call's error: its status and a message that says what and where.
 * Calls that take `hl_error **err` store one there on failure (when `err` is
 * not NULL); the caller frees it. The message is owned by the error. */
typedef struct hl_error hl_error;
HL_API int hl_error_status(const hl_error *err);
HL_API const char *hl_error_message(const hl_error *err);
HL_API void hl_error_free(hl_error *err); /* accepts NULL */

#ifdef __cplusplus
}
#endif

#endif /* HOTLINE_COMMON_H */
