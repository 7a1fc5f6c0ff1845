# Installs the whole build into a temporary prefix, builds sdk/examples/hello_encoder against it
# with find_package(RdkPlugin), then asks the installed rdkernel to list and load it.
cmake_minimum_required(VERSION 3.20)
foreach(var BUILD_DIR EXAMPLE_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "sdk_install_test: -D${var}= is required")
  endif()
endforeach()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "sdk_install_test: ${step} failed (${rc}):\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
set(example_build "${WORK_DIR}/hello_encoder-build")

run("cmake --install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")
foreach(required bin/rdkernel include/rdk/plugin_abi.h include/rdk/plugin.hpp include/rdk/json.hpp
                 include/rdk/json/reader.hpp include/rdk/json/writer.hpp
                 include/rdk/json/document.hpp)
  if(NOT EXISTS "${prefix}/${required}")
    message(FATAL_ERROR "sdk_install_test: ${required} was not installed")
  endif()
endforeach()
# Issue 20 item 9: what a plugin author reads and starts from is installed with the SDK.
foreach(required share/doc/rdkernel/sdk/WRITING_PLUGINS.md share/doc/rdkernel/sdk/plugins.md
                 share/doc/rdkernel/sdk/examples/hello_encoder/CMakeLists.txt
                 share/doc/rdkernel/sdk/examples/hello_encoder/hello_encoder.cpp)
  if(NOT EXISTS "${prefix}/${required}")
    message(FATAL_ERROR "sdk_install_test: ${required} was not installed")
  endif()
endforeach()
file(GLOB_RECURSE config_files "${prefix}/*/RdkPluginConfig.cmake")
if(NOT config_files)
  message(FATAL_ERROR "sdk_install_test: RdkPluginConfig.cmake was not installed")
endif()

run("configure the example" "${CMAKE_COMMAND}" -S "${EXAMPLE_DIR}" -B "${example_build}"
    -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release)
run("build the example" "${CMAKE_COMMAND}" --build "${example_build}")
if(NOT EXISTS "${example_build}/rdk-hello_encoder.so" OR
   NOT EXISTS "${example_build}/rdk-hello_encoder.rdkplugin.json")
  message(FATAL_ERROR "sdk_install_test: the example did not produce rdk-hello_encoder.so + manifest")
endif()

run("rdkernel --plugins --json --verify" "${CMAKE_COMMAND}" -E env
    "RDK_PLUGIN_PATH=${example_build}" "XDG_CACHE_HOME=${WORK_DIR}/cache"
    "${prefix}/bin/rdkernel" --plugins --json --verify)
set(json "${last_output}")
string(JSON count LENGTH "${json}" plugins)
set(found FALSE)
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON name GET "${json}" plugins ${i} name)
  if(name STREQUAL "hello_encoder")
    string(JSON status GET "${json}" plugins ${i} status)
    string(JSON loaded GET "${json}" plugins ${i} loaded)
    string(JSON caps GET "${json}" plugins ${i} capabilities)
    if(NOT status STREQUAL "loaded" OR NOT loaded OR NOT caps STREQUAL "rgb24-example")
      message(FATAL_ERROR "sdk_install_test: hello_encoder is ${status} (loaded=${loaded}):\n${json}")
    endif()
    set(found TRUE)
  endif()
endforeach()
if(NOT found)
  message(FATAL_ERROR "sdk_install_test: hello_encoder not listed:\n${json}")
endif()
# Issue 20 item 9: `cmake --install` of the plugin went to /usr/local/lib/rdkernel/plugins-1 whatever
# prefix rdkernel had; the SDK package now says where that rdkernel looks.
run("cmake --install the example" "${CMAKE_COMMAND}" --install "${example_build}")
file(GLOB_RECURSE installed_plugin "${prefix}/*/rdkernel/plugins-1/rdk-hello_encoder.so")
file(GLOB_RECURSE installed_manifest "${prefix}/*/rdkernel/plugins-1/rdk-hello_encoder.rdkplugin.json")
if(NOT installed_plugin OR NOT installed_manifest)
  message(FATAL_ERROR "sdk_install_test: the example did not install into ${prefix}'s plugin directory")
endif()
run("rdkernel --plugins hello_encoder" "${CMAKE_COMMAND}" -E env "XDG_CACHE_HOME=${WORK_DIR}/cache"
    "${prefix}/bin/rdkernel" --plugins hello_encoder)
if(NOT last_output MATCHES "status: +ok" OR NOT last_output MATCHES "rgb24-example")
  message(FATAL_ERROR "sdk_install_test: the installed example is not listed ok:\n${last_output}")
endif()
file(REMOVE ${installed_plugin} ${installed_manifest})
message(STATUS "sdk_install_test: hello_encoder built against ${prefix}, listed and loaded, installed beside rdkernel's plugins")
