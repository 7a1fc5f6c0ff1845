# rdk_add_plugin(<name> VERSION <v> KINDS <kind>... FEATURES <features.json> SOURCES <src>...
#                [SETTINGS <settings.json>] [LIBRARIES <lib>...] [INCLUDES <dir>...]
#                [PROBE none|subprocess] [DISPLAY] [LICENSE <spdx>] [OUTPUT_DIRECTORY <dir>]
#                [NO_INSTALL])
#
# Builds rdk-<name>.so as a MODULE with hidden visibility, bind-now and no undefined symbols, and
# writes rdk-<name>.rdkplugin.json beside it. The same features file feeds the manifest and the
# generated rdk_plugin_manifest.h, so the descriptor the kernel loads and the manifest it scans
# without loading always agree. The features and settings files are checked here, at configure
# time, for what the kernel would otherwise refuse only when it scans the installed plugin
# (bad JSON, a kind not in KINDS, an encoding name longer than 23 bytes, a setting without
# key/type/help). SETTINGS declares the configuration keys the plugin reads (sdk/docs/
# WRITING_PLUGINS.md): the kernel validates them and `--print-default-config` lists them.
include_guard(GLOBAL)
include(GNUInstallDirs)

set(_RDK_ADD_PLUGIN_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(_rdk_abi_version out_major out_minor)
  find_file(_rdk_abi_header rdk/plugin_abi_version.h
            PATHS "${RDK_SDK_INCLUDE_DIR}" NO_DEFAULT_PATH)
  file(STRINGS "${_rdk_abi_header}" _major REGEX "#define RDK_PLUGIN_ABI_MAJOR [0-9]+")
  file(STRINGS "${_rdk_abi_header}" _minor REGEX "#define RDK_PLUGIN_ABI_MINOR [0-9]+")
  string(REGEX REPLACE ".* ([0-9]+)$" "\\1" _major "${_major}")
  string(REGEX REPLACE ".* ([0-9]+)$" "\\1" _minor "${_minor}")
  set(${out_major} ${_major} PARENT_SCOPE)
  set(${out_minor} ${_minor} PARENT_SCOPE)
endfunction()

# Fails the configure step with a message naming |file| when |json| is not what the kernel accepts.
function(_rdk_check_features name file json kinds)
  string(JSON type ERROR_VARIABLE err TYPE "${json}")
  if(err OR NOT type STREQUAL "ARRAY")
    message(FATAL_ERROR "rdk_add_plugin(${name}): ${file} must be a JSON array of features ${err}")
  endif()
  string(JSON count LENGTH "${json}")
  if(count GREATER 0)
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      string(JSON kind ERROR_VARIABLE err GET "${json}" ${i} kind)
      string(JSON fname ERROR_VARIABLE err2 GET "${json}" ${i} name)
      if(err OR err2 OR fname STREQUAL "")
        message(FATAL_ERROR "rdk_add_plugin(${name}): ${file}: features[${i}] needs \"kind\" and \"name\"")
      endif()
      if(NOT kind IN_LIST kinds)
        message(FATAL_ERROR "rdk_add_plugin(${name}): ${file}: features[${i}] kind '${kind}' is not in KINDS (${kinds})")
      endif()
      string(LENGTH "${fname}" len)
      if(kind STREQUAL "encoder" AND len GREATER 23)
        message(FATAL_ERROR "rdk_add_plugin(${name}): ${file}: encoding name '${fname}' is ${len} bytes; the ABI holds at most 23 (rdk_encoded::coding is char[24])")
      endif()
    endforeach()
  endif()
endfunction()

function(_rdk_check_settings name file json)
  string(JSON type ERROR_VARIABLE err TYPE "${json}")
  if(err OR NOT type STREQUAL "ARRAY")
    message(FATAL_ERROR "rdk_add_plugin(${name}): ${file} must be a JSON array of settings ${err}")
  endif()
  string(JSON count LENGTH "${json}")
  if(count GREATER 0)
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      foreach(field key type help)
        string(JSON v ERROR_VARIABLE err GET "${json}" ${i} ${field})
        if(err OR v STREQUAL "")
          message(FATAL_ERROR "rdk_add_plugin(${name}): ${file}: settings[${i}] needs \"${field}\"")
        endif()
      endforeach()
      string(JSON stype GET "${json}" ${i} type)
      if(NOT stype MATCHES "^(string|int|bool|percent|list|enum)$")
        message(FATAL_ERROR "rdk_add_plugin(${name}): ${file}: settings[${i}] type '${stype}' is not string, int, bool, percent, list or enum")
      endif()
    endforeach()
  endif()
endfunction()

function(rdk_add_plugin name)
  cmake_parse_arguments(P "DISPLAY;NO_INSTALL"
                        "VERSION;FEATURES;SETTINGS;PROBE;LICENSE;OUTPUT_DIRECTORY;ABI_MAJOR;ABI_MINOR;MANIFEST_NAME"
                        "KINDS;SOURCES;LIBRARIES;INCLUDES" ${ARGN})
  if(NOT P_VERSION)
    message(FATAL_ERROR "rdk_add_plugin(${name}): VERSION is required")
  endif()
  if(NOT P_FEATURES)
    message(FATAL_ERROR "rdk_add_plugin(${name}): FEATURES <file.json> is required")
  endif()
  if(NOT P_PROBE)
    set(P_PROBE none)
  endif()
  if(NOT P_LICENSE)
    set(P_LICENSE MIT)
  endif()
  if(NOT P_OUTPUT_DIRECTORY)
    if(DEFINED RDK_PLUGIN_OUTPUT_DIR)
      set(P_OUTPUT_DIRECTORY "${RDK_PLUGIN_OUTPUT_DIR}")
    else()
      set(P_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
    endif()
  endif()
  _rdk_abi_version(abi_major abi_minor)
  # Test fixtures lie about their ABI on purpose; real plugins never set these.
  if(DEFINED P_ABI_MAJOR)
    set(abi_major ${P_ABI_MAJOR})
  endif()
  if(DEFINED P_ABI_MINOR)
    set(abi_minor ${P_ABI_MINOR})
  endif()
  if(NOT P_MANIFEST_NAME)
    set(P_MANIFEST_NAME ${name})
  endif()

  get_filename_component(features_path "${P_FEATURES}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  file(READ "${features_path}" features)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${features_path}")
  string(REGEX REPLACE "[\r\n]+" " " features_one_line "${features}")
  string(STRIP "${features_one_line}" features_one_line)
  string(REPLACE "\\" "\\\\" features_c "${features_one_line}")
  string(REPLACE "\"" "\\\"" features_c "${features_c}")
  _rdk_check_features(${name} "${P_FEATURES}" "${features}" "${P_KINDS}")
  set(settings_line "")
  if(P_SETTINGS)
    get_filename_component(settings_path "${P_SETTINGS}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    file(READ "${settings_path}" settings)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${settings_path}")
    _rdk_check_settings(${name} "${P_SETTINGS}" "${settings}")
    string(REGEX REPLACE "[\r\n]+" " " settings_one_line "${settings}")
    string(STRIP "${settings_one_line}" settings_one_line)
    set(settings_line ",\n  \"settings\": ${settings_one_line}")
  endif()

  set(kind_bits "0u")
  set(kinds_json "")
  foreach(kind IN LISTS P_KINDS)
    string(TOUPPER "${kind}" kind_upper)
    if(NOT kind_upper MATCHES "^(ENCODER|TRANSPORT|AUTH|PLATFORM)$")
      message(FATAL_ERROR "rdk_add_plugin(${name}): unknown kind '${kind}'")
    endif()
    string(APPEND kind_bits " | RDK_KIND_${kind_upper}")
    if(kinds_json)
      string(APPEND kinds_json ", ")
    endif()
    string(APPEND kinds_json "\"${kind}\"")
  endforeach()

  set(target rdk-${name})
  set(gen_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}-gen")
  set(has_display 0)
  if(P_DISPLAY)
    set(has_display 1)
  endif()
  set(has_probe 0)
  if(P_PROBE STREQUAL "subprocess")
    set(has_probe 1)
  endif()
  file(WRITE "${gen_dir}/rdk_plugin_manifest.h.tmp"
"/* Generated by rdk_add_plugin() from ${P_FEATURES}; do not edit. */
#pragma once
#define RDK_PLUGIN_NAME \"${name}\"
#define RDK_PLUGIN_VERSION \"${P_VERSION}\"
#define RDK_PLUGIN_LICENSE \"${P_LICENSE}\"
#define RDK_PLUGIN_KINDS (${kind_bits})
#define RDK_PLUGIN_HAS_PROBE ${has_probe}
#define RDK_PLUGIN_HAS_DISPLAY ${has_display}
#define RDK_PLUGIN_FEATURES_JSON \"${features_c}\"
")
  configure_file("${gen_dir}/rdk_plugin_manifest.h.tmp" "${gen_dir}/rdk_plugin_manifest.h" COPYONLY)

  add_library(${target} MODULE ${P_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${target}
    LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIRECTORY}"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    CXX_STANDARD 20
    CXX_STANDARD_REQUIRED ON)
  target_include_directories(${target} PRIVATE "${gen_dir}" ${P_INCLUDES})
  if(TARGET Rdk::sdk)
    target_link_libraries(${target} PRIVATE Rdk::sdk)
  else()
    target_include_directories(${target} PRIVATE "${RDK_SDK_INCLUDE_DIR}")
  endif()
  target_link_libraries(${target} PRIVATE ${P_LIBRARIES})
  target_link_options(${target} PRIVATE "LINKER:-z,defs" "LINKER:-z,now")

  set(library_file "${target}${CMAKE_SHARED_MODULE_SUFFIX}")
  set(manifest "${P_OUTPUT_DIRECTORY}/${target}.rdkplugin.json")
  file(WRITE "${gen_dir}/manifest.json.tmp"
"{
  \"schema\": 1,
  \"name\": \"${P_MANIFEST_NAME}\",
  \"version\": \"${P_VERSION}\",
  \"abi\": { \"major\": ${abi_major}, \"minor\": ${abi_minor} },
  \"library\": \"${library_file}\",
  \"kinds\": [${kinds_json}],
  \"probe\": \"${P_PROBE}\",
  \"features\": ${features_one_line}${settings_line}
}
")
  configure_file("${gen_dir}/manifest.json.tmp" "${manifest}" COPYONLY)

  if(NOT P_NO_INSTALL)
    if(NOT DEFINED RDK_PLUGIN_INSTALL_DIR)
      set(RDK_PLUGIN_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/rdkernel/plugins-1")
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION "${RDK_PLUGIN_INSTALL_DIR}")
    install(FILES "${manifest}" DESTINATION "${RDK_PLUGIN_INSTALL_DIR}")
  endif()
endfunction()
