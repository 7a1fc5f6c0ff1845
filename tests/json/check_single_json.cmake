# json_single_path: rdkernel has one JSON reader and writer, sdk/include/rdk/json.hpp (issue 20).
# Fails when a source or build file uses another: Poco's JSON (Poco/JSON headers, the Poco::JSON
# target, PocoJSON, or the JSON component of find_package(Poco)) or a hand-written escaper.
cmake_policy(SET CMP0009 NEW)
file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}"
     "${SOURCE_DIR}/kernel/*" "${SOURCE_DIR}/plugins/*" "${SOURCE_DIR}/sdk/*"
     "${SOURCE_DIR}/tests/*" "${SOURCE_DIR}/bench/*"
     "${SOURCE_DIR}/CMakeLists.txt" "${SOURCE_DIR}/cmake/*")
set(offenders "")
foreach(f IN LISTS sources)
  if(NOT f MATCHES "\\.(c|cc|cpp|h|hpp|cmake|txt|mk|sh)$" OR f MATCHES "^tests/json/")
    continue()
  endif()
  file(READ "${SOURCE_DIR}/${f}" text)
  if(text MATCHES "Poco/JSON" OR text MATCHES "Poco::JSON" OR text MATCHES "PocoJSON" OR
     text MATCHES "find_package\\(Poco[^)]*JSON")
    list(APPEND offenders "${f} (Poco's JSON)")
  endif()
  # Hand-written escapers (there were six): a \u%04x format or a loop escaping quotes.
  string(FIND "${text}" "u%04x" escapeFormat)
  string(FIND "${text}" "== '\"' ||" quoteTest)
  if(NOT escapeFormat EQUAL -1 OR NOT quoteTest EQUAL -1)
    list(APPEND offenders "${f} (a JSON escaper of its own: use rdk::json::quote)")
  endif()
endforeach()
if(offenders)
  list(JOIN offenders "\n  " lines)
  message(FATAL_ERROR "JSON outside rdk/json.hpp (use rdk::json, sdk/include/rdk/json.hpp):\n  "
                      "${lines}")
endif()
