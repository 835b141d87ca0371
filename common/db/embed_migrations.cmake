# Writes a C++ source holding every deploy/migrations/NNNN_name.sql file, so servers and
# tools carry their schema with them. Run by the build (see common/CMakeLists.txt).
file(GLOB files "${MIGRATIONS_DIR}/[0-9][0-9][0-9][0-9]_*.sql")
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(fname ${f} NAME_WE)
  string(SUBSTRING ${fname} 0 4 version)
  string(SUBSTRING ${fname} 5 -1 name)
  math(EXPR version_num "${version}")
  file(READ ${f} sql)
  string(APPEND body "      {${version_num}, \"${name}\", R\"lms_sql(${sql})lms_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from deploy/migrations by embed_migrations.cmake. Do not edit.
#include \"common/db/migration.h\"

namespace lms::db {

const std::vector<Migration>& EmbeddedMigrations() {
  static const auto* const kMigrations = new std::vector<Migration>{
${body}  };
  return *kMigrations;
}

}  // namespace lms::db
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
