# stagehand_layer(<target> <folder> [PCH_FROM <target> | PCH <header>...]
#                 [DEPENDS <target>...])
#
# One static library per folder of the layer stack, built from the folder's
# own .cpp files (not its subfolders) and linked only to the layers below it.
# A call up the stack then fails to link, and tests/layers/includes.cpp names
# the include that made it.
#
# PCH precompiles the heavy third-party headers (CAF, Asio and Beast, spdlog,
# nlohmann-json) once; PCH_FROM reuses another layer's, since every layer is
# compiled with the same flags. STAGEHAND_PCH=OFF turns them off.
include_guard(GLOBAL)

option(STAGEHAND_PCH "Precompile the heavy third-party headers" ON)

# What the actor layers include most; a header that a file does not use costs
# it only the load of the precompiled file.
set(stagehand_pch_caf
  <caf/actor_system_config.hpp> <caf/error.hpp> <caf/expected.hpp>
  <caf/meta/type_name.hpp> <caf/replies_to.hpp> <caf/stateful_actor.hpp>
  <caf/typed_actor.hpp> <caf/typed_event_based_actor.hpp>
  <caf/typed_response_promise.hpp> <spdlog/logger.h>)

# What the server's parts include most.
set(stagehand_pch_server
  <boost/asio/io_context.hpp> <boost/asio/ip/tcp.hpp>
  <boost/beast/core/flat_buffer.hpp> <boost/beast/core/tcp_stream.hpp>
  <boost/beast/http/read.hpp> <boost/beast/http/string_body.hpp>
  <boost/beast/http/write.hpp> <caf/error.hpp> <caf/expected.hpp>
  <nlohmann/json.hpp> <spdlog/logger.h>)

function(stagehand_precompile target)
  cmake_parse_arguments(arg "" "FROM" "HEADERS" ${ARGN})
  if(NOT STAGEHAND_PCH)
    return()
  endif()
  if(arg_FROM)
    target_precompile_headers(${target} REUSE_FROM ${arg_FROM})
  else()
    target_precompile_headers(${target} PRIVATE ${arg_HEADERS})
  endif()
endfunction()

function(stagehand_layer target folder)
  cmake_parse_arguments(arg "" "PCH_FROM" "PCH;DEPENDS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.cpp)
  add_library(${target} STATIC ${sources})
  target_compile_options(${target} PRIVATE ${stagehand_warnings})
  target_include_directories(${target} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/stagehand>)
  target_link_libraries(${target} PUBLIC ${arg_DEPENDS})
  stagehand_precompile(${target} FROM "${arg_PCH_FROM}" HEADERS ${arg_PCH})
endfunction()
