#include "services/course/course.h"

#include <algorithm>

namespace lms::course {

bool Course::IsMeantFor(MemberCategory category) const {
  return audience.empty() ||
         std::find(audience.begin(), audience.end(), category) != audience.end();
}

bool Course::HasTag(const std::string& tag) const {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

}  // namespace lms::course
