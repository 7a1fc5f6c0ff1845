# Builds the .deb from the build tree (cpack -G DEB), lists its contents with dpkg-deb and checks
# that a user gets everything: the binary, every plugin the build made with its manifest, the
# configuration, the systemd unit pointing at the packaged binary and the plugin SDK. The unit's
# exposure is rated by `systemd-analyze security --offline` when systemd-analyze is there.
cmake_minimum_required(VERSION 3.20)
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "package_deb_test: -D${var}= is required")
  endif()
endforeach()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "package_deb_test: ${step} failed (${rc}):\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

find_program(DPKG_DEB dpkg-deb REQUIRED)
get_filename_component(cmake_dir "${CMAKE_COMMAND}" DIRECTORY)
find_program(CPACK cpack HINTS "${cmake_dir}" REQUIRED)
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
run("cpack -G DEB" "${CPACK}" -G DEB --config "${BUILD_DIR}/CPackConfig.cmake" -B "${WORK_DIR}")
file(GLOB debs "${WORK_DIR}/*.deb")
list(LENGTH debs n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "package_deb_test: expected one .deb in ${WORK_DIR}, found ${n}")
endif()
run("dpkg-deb -c" "${DPKG_DEB}" -c "${debs}")
set(listing "${last_output}")
message(STATUS "package_deb_test: ${debs}:\n${listing}")

set(required
  ./usr/bin/rdkernel
  ./usr/lib/systemd/system/rdkernel.service
  ./usr/share/rdkernel/rdkernel.conf
  ./usr/share/doc/rdkernel/LICENSE
  ./usr/include/rdk/plugin_abi.h
  ./usr/include/rdk/plugin.hpp
  ./usr/include/rdk/json.hpp
  ./usr/include/rdk/json/reader.hpp
  ./usr/include/rdk/json/writer.hpp
  ./usr/include/rdk/json/document.hpp
  ./usr/lib/cmake/RdkPlugin/RdkPluginConfig.cmake
  ./usr/lib/cmake/RdkPlugin/RdkAddPlugin.cmake
  ./usr/share/doc/rdkernel/sdk/WRITING_PLUGINS.md
  ./usr/share/doc/rdkernel/sdk/examples/hello_encoder/hello_encoder.cpp)
# Every plugin the build made (never the test fixtures, which are not installed).
file(GLOB built_plugins RELATIVE "${BUILD_DIR}/lib/rdkernel/plugins-1"
     "${BUILD_DIR}/lib/rdkernel/plugins-1/rdk-*.so")
if(NOT built_plugins)
  message(FATAL_ERROR "package_deb_test: no plugins in ${BUILD_DIR}/lib/rdkernel/plugins-1")
endif()
foreach(plugin IN LISTS built_plugins)
  string(REGEX REPLACE "\\.so$" ".rdkplugin.json" manifest "${plugin}")
  list(APPEND required "./usr/lib/rdkernel/plugins-1/${plugin}"
                       "./usr/lib/rdkernel/plugins-1/${manifest}")
endforeach()
foreach(path IN LISTS required)
  string(FIND "${listing}" " ${path}\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "package_deb_test: ${path} is not in the package")
  endif()
endforeach()
if(listing MATCHES "fixtures|rdk-good|test_")
  message(FATAL_ERROR "package_deb_test: test files in the package")
endif()

run("dpkg-deb -f" "${DPKG_DEB}" -f "${debs}" Package Version Depends)
if(NOT last_output MATCHES "Package: rdkernel" OR NOT last_output MATCHES "Depends: .*libc6")
  message(FATAL_ERROR "package_deb_test: control fields:\n${last_output}")
endif()
# Poco::Util was dropped as unused (issue 20 item 10): nothing packaged may need it again.
if(last_output MATCHES "libpocoutil")
  message(FATAL_ERROR "package_deb_test: the package needs Poco::Util again:\n${last_output}")
endif()
# One JSON path (issue 20 item 10): rdk/json.hpp everywhere, nothing packaged links Poco's JSON.
if(last_output MATCHES "libpocojson")
  message(FATAL_ERROR "package_deb_test: the package depends on libpocojson again:\n${last_output}")
endif()

# The unit in the package runs the packaged binary and is hardened.
run("dpkg-deb -x" "${DPKG_DEB}" -x "${debs}" "${WORK_DIR}/root")
file(READ "${WORK_DIR}/root/usr/lib/systemd/system/rdkernel.service" unit)
if(NOT unit MATCHES "\nExecStart=/usr/bin/rdkernel --config /etc/rdkernel/rdkernel.conf serve\n")
  message(FATAL_ERROR "package_deb_test: the unit does not run /usr/bin/rdkernel:\n${unit}")
endif()
find_program(SYSTEMD_ANALYZE systemd-analyze)
if(SYSTEMD_ANALYZE)
  execute_process(COMMAND "${SYSTEMD_ANALYZE}" security --offline=true --no-pager
                          "${WORK_DIR}/root/usr/lib/systemd/system/rdkernel.service"
                  OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REGEX MATCH "Overall exposure level for rdkernel.service: ([0-9.]+)" _ "${out}")
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "package_deb_test: no exposure level from systemd-analyze:\n${out}\n${err}")
  endif()
  message(STATUS "package_deb_test: systemd-analyze security: ${CMAKE_MATCH_1}")
  if(CMAKE_MATCH_1 GREATER_EQUAL 4.0)
    message(FATAL_ERROR "package_deb_test: the unit's exposure is ${CMAKE_MATCH_1} (want < 4):\n${out}")
  endif()
endif()
message(STATUS "package_deb_test: ${debs} holds the binary, every plugin and manifest, the config, the unit and the SDK")
