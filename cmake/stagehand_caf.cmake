# Debian's libcaf-dev ships headers and shared libraries but no CMake package,
# so this file wraps them in IMPORTED targets of our own. It is installed with
# stagehand's package so that consumers get the same targets.
include_guard(GLOBAL)
find_package(Threads REQUIRED)

find_path(STAGEHAND_CAF_INCLUDE_DIR caf/all.hpp)
find_library(STAGEHAND_CAF_CORE_LIBRARY caf_core)
find_library(STAGEHAND_CAF_IO_LIBRARY caf_io)
if(NOT STAGEHAND_CAF_INCLUDE_DIR OR NOT STAGEHAND_CAF_CORE_LIBRARY
   OR NOT STAGEHAND_CAF_IO_LIBRARY)
  message(FATAL_ERROR "CAF 0.17 not found: install the Debian package "
                      "libcaf-dev (scripts/setup does).")
endif()

foreach(part core io)
  string(TOUPPER ${part} upper)
  if(NOT TARGET stagehand::caf_${part})
    add_library(stagehand::caf_${part} SHARED IMPORTED)
    set_target_properties(stagehand::caf_${part} PROPERTIES
      IMPORTED_LOCATION ${STAGEHAND_CAF_${upper}_LIBRARY}
      INTERFACE_INCLUDE_DIRECTORIES ${STAGEHAND_CAF_INCLUDE_DIR}
      INTERFACE_LINK_LIBRARIES Threads::Threads)
  endif()
endforeach()

# caf_openssl: mutual TLS between the nodes of a cluster (docs/cluster.md).
find_library(STAGEHAND_CAF_OPENSSL_LIBRARY caf_openssl)
if(NOT STAGEHAND_CAF_OPENSSL_LIBRARY)
  message(FATAL_ERROR "caf_openssl not found: install the Debian package "
                      "libcaf-dev (scripts/setup does).")
endif()
if(NOT TARGET stagehand::caf_openssl)
  add_library(stagehand::caf_openssl SHARED IMPORTED)
  set_target_properties(stagehand::caf_openssl PROPERTIES
    IMPORTED_LOCATION ${STAGEHAND_CAF_OPENSSL_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${STAGEHAND_CAF_INCLUDE_DIR}
    INTERFACE_LINK_LIBRARIES stagehand::caf_io)
endif()
