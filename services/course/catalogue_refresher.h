#pragma once

#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/course/catalogue.h"

namespace lms::course {

// A background thread that refreshes the catalogue every `interval` (changes made by
// other processes show up within it) and learner counts every `counts_interval`. Errors
// are logged and retried on the next tick: the server keeps serving its last snapshot
// while the database is away. Stops and joins in the destructor.
class CatalogueRefresher {
 public:
  CatalogueRefresher(Catalogue& catalogue, absl::Duration interval, absl::Duration counts_interval);
  ~CatalogueRefresher();

 private:
  void Run();

  Catalogue& catalogue_;
  const absl::Duration interval_;
  const absl::Duration counts_interval_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace lms::course
