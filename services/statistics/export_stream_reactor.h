#pragma once

#include <memory>

#include "absl/time/time.h"
#include "common/grpc/download_stream_reactor.h"
#include "lms/v1/statistics.pb.h"
#include "services/statistics/statistics_export.h"

namespace lms::statistics {

// Exports one server runs at once: each holds a database connection (its snapshot) for
// the whole file.
inline constexpr int kMaxConcurrentExports = 2;
// How long an export may stream: a whole site's members take seconds on the server; a
// slow link may take minutes to carry them.
inline constexpr absl::Duration kMaxExportDuration = absl::Minutes(30);

// Serves one ExportStatistics stream (grpc_util::DownloadStreamReactor): the header chunk
// once the export is open, then the file's pieces with the rows written so far, then the
// trailer.
class ExportStreamReactor final : public grpc_util::DownloadStreamReactor {
 public:
  ExportStreamReactor(grpc::CallbackServerContext* context, const grpc::ByteBuffer& request,
                      std::unique_ptr<StatisticsExport> export_run,
                      const grpc_util::UnaryCallRunner& runner, const auth::MethodPolicy& policy,
                      grpc_util::ImportSlots& slots);

 private:
  absl::Status Decode(const grpc::ByteBuffer& raw) override;
  const google::protobuf::Message& request() const override { return request_; }
  absl::Status Open(const call::CallContext& call) override;
  absl::StatusOr<bool> Next(grpc::ByteBuffer* out) override;
  void Close(const absl::Status& outcome) override { export_->Close(outcome); }

  std::unique_ptr<StatisticsExport> export_;
  v1::ExportStatisticsRequest request_;
  ExportHeaderInfo header_;
  bool header_sent_ = false;
  bool trailer_sent_ = false;
};

}  // namespace lms::statistics
