// The headers nearly every API test includes, precompiled once per build for all of them
// (LMS_PRECOMPILED_HEADERS in tests/CMakeLists.txt). Parsing them took about 3 s of a
// typical test file's 11 s, and CI compiles every test twice from a cold cache.
// A test still includes what it uses: a build with -DLMS_PRECOMPILED_HEADERS=OFF checks it.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/test_server.h"
