# All dependencies come from Debian 12 packages (scripts/install-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
# Util is not used (issue 20 item 10); Net serves the ws/wss transport (plugins/transports/ws).
find_package(Poco REQUIRED COMPONENTS Foundation Net)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
pkg_check_modules(CPPUNIT IMPORTED_TARGET cppunit)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)

# libyuv (libyuv-dev): Debian 12 ships no pkg-config file for it on every release, so fall back to
# the plain library. Rdk::libyuv exists only when it was found; its users skip themselves otherwise.
pkg_check_modules(LIBYUV IMPORTED_TARGET libyuv)
if(LIBYUV_FOUND)
  add_library(Rdk::libyuv ALIAS PkgConfig::LIBYUV)
else()
  find_library(RDK_YUV_LIBRARY yuv)
  find_path(RDK_YUV_INCLUDE libyuv.h)
  if(RDK_YUV_LIBRARY AND RDK_YUV_INCLUDE)
    add_library(rdk_libyuv INTERFACE)
    target_link_libraries(rdk_libyuv INTERFACE "${RDK_YUV_LIBRARY}")
    target_include_directories(rdk_libyuv INTERFACE "${RDK_YUV_INCLUDE}")
    add_library(Rdk::libyuv ALIAS rdk_libyuv)
  endif()
endif()
