#pragma once

// Early-return helpers for absl::Status / absl::StatusOr: Abseil 20220623 ships none.

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define LMS_STATUS_CONCAT_INNER(a, b) a##b
#define LMS_STATUS_CONCAT(a, b) LMS_STATUS_CONCAT_INNER(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(...)                                                   \
  do {                                                                         \
    if (const ::absl::Status lms_status_ = (__VA_ARGS__); !lms_status_.ok()) { \
      return lms_status_;                                                      \
    }                                                                          \
  } while (false)

// `ASSIGN_OR_RETURN(T x, StatusOr<T> expr)`: declares and assigns x, or returns the error.
// The expression may contain commas (template arguments), hence the variadic form.
#define ASSIGN_OR_RETURN(lhs, ...) \
  LMS_ASSIGN_OR_RETURN_IMPL(LMS_STATUS_CONCAT(lms_statusor_, __LINE__), lhs, (__VA_ARGS__))

#define LMS_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr)     \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()
