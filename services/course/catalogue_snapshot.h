#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "services/course/course.h"
#include "services/course/page_token.h"
#include "services/course/search_index.h"

namespace lms::course {

using CoursePtr = std::shared_ptr<const Course>;

enum class CourseOrder : int { kNewest = 1, kMostStudied = 2 };

// One ListCourses request, already validated.
struct CourseListing {
  // Members and kiosks: published only. Admins: drafts and published, or `state`.
  bool admin_view = false;
  CourseState state = CourseState::kUnspecified;
  ContentCategory content_category = ContentCategory::kUnspecified;
  MemberCategory audience = MemberCategory::kUnspecified;
  std::string tag;
  std::string query;
  CourseOrder order = CourseOrder::kNewest;
  int page_size = 20;
  std::optional<CourseCursor> after;
  uint64_t filter_fingerprint = 0;
};

struct CoursePage {
  std::vector<CoursePtr> courses;
  // Set when more courses follow.
  std::optional<CourseCursor> next;
};

struct CatalogueChanges {
  std::vector<CoursePtr> courses;
  int64_t generation = 0;
  bool more = false;
};

// An immutable view of the whole catalogue (lesson bodies excepted) with its sort orders
// and search index, so reads take no lock and no database round trip. A change makes a
// new snapshot; readers holding the old one finish undisturbed. Thread-safe.
class CatalogueSnapshot {
 public:
  // `watermark`: every change up to this generation is in `courses`.
  static std::shared_ptr<const CatalogueSnapshot> Build(
      absl::flat_hash_map<int64_t, CoursePtr> courses, int64_t watermark);

  [[nodiscard]] CoursePtr Find(int64_t id) const;
  [[nodiscard]] CoursePage List(const CourseListing& listing) const;
  // Changes after `generation` up to the watermark, oldest first, at most `limit`.
  [[nodiscard]] CatalogueChanges ChangedSince(int64_t generation, size_t limit) const;

  int64_t watermark() const { return watermark_; }
  const absl::flat_hash_map<int64_t, CoursePtr>& courses() const { return by_id_; }

 private:
  CatalogueSnapshot() = default;
  bool Visible(const Course& course, const CourseListing& listing) const;

  absl::flat_hash_map<int64_t, CoursePtr> by_id_;
  std::vector<const Course*> newest_;
  std::vector<const Course*> most_studied_;
  std::vector<const Course*> by_change_;
  SearchIndex index_;
  int64_t watermark_ = 0;
};

}  // namespace lms::course
