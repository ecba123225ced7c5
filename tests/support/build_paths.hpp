#pragma once

namespace stagehand::test {

/// Where the `stagehand` tool was built and where the sources are, for the
/// tests that run the tool or read the tree. CMake writes their values into
/// a generated file of the build dir instead of passing them as compile
/// definitions: absolute paths on every test's command line would keep
/// ccache from reusing any test object in a clone in another folder (CI's).
extern const char* const cli_path;
extern const char* const source_dir;

} // namespace stagehand::test
