#include "services/statistics/export_stream_reactor.h"

#include <utility>

#include "common/grpc/request_codec.h"
#include "services/statistics/statistics_mapping.h"

namespace lms::statistics {

ExportStreamReactor::ExportStreamReactor(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer& request,
                                         std::unique_ptr<StatisticsExport> export_run,
                                         const grpc_util::UnaryCallRunner& runner,
                                         const auth::MethodPolicy& policy,
                                         grpc_util::ImportSlots& slots)
    : DownloadStreamReactor(context, runner, policy, slots, kMaxExportDuration),
      export_(std::move(export_run)) {
  Begin(request);
}

absl::Status ExportStreamReactor::Decode(const grpc::ByteBuffer& raw) {
  absl::StatusOr<v1::ExportStatisticsRequest> request =
      grpc_util::DecodeRequest<v1::ExportStatisticsRequest>(raw);
  if (!request.ok()) return request.status();
  request_ = *std::move(request);
  return absl::OkStatus();
}

absl::Status ExportStreamReactor::Open(const call::CallContext& call) {
  ExportInput input;
  input.scope = ScopeFromProto(request_.scope());
  input.table = static_cast<ExportTable>(request_.table());
  input.format = static_cast<ExportFormat>(request_.format());
  input.category = request_.category();
  absl::StatusOr<ExportHeaderInfo> header = export_->Open(call, input);
  if (!header.ok()) return header.status();
  header_ = *std::move(header);
  return absl::OkStatus();
}

absl::StatusOr<bool> ExportStreamReactor::Next(grpc::ByteBuffer* out) {
  v1::ExportChunk chunk;
  if (!header_sent_) {
    header_sent_ = true;
    v1::ExportHeader* header = chunk.mutable_header();
    ToProto(header_.stamp, header->mutable_stamp());
    header->set_file_name(header_.file_name);
    header->set_content_type(header_.content_type);
    header->set_expected_rows(header_.expected_rows);
  } else {
    absl::StatusOr<std::optional<ExportPiece>> piece = export_->Next();
    if (!piece.ok()) return piece.status();
    if (piece->has_value()) {
      chunk.set_data(std::move((*piece)->data));
      chunk.set_rows_written((*piece)->rows_written);
    } else {
      if (trailer_sent_) return false;
      trailer_sent_ = true;
      const ExportResult& result = export_->result();
      v1::ExportTrailer* trailer = chunk.mutable_trailer();
      trailer->set_rows(result.rows);
      trailer->set_bytes(result.bytes);
      trailer->set_sha256(result.file_sha256);
      ToProto(result.stamp, trailer->mutable_stamp());
      chunk.set_rows_written(result.rows);
    }
  }
  if (absl::Status encoded = grpc_util::EncodeResponse(chunk, out); !encoded.ok()) return encoded;
  return true;
}

}  // namespace lms::statistics
