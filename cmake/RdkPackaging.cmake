# What `cmake --install` puts beside the binary, plugins and SDK (configuration, systemd unit,
# license), and CPack: `cpack -G DEB` in the build tree makes one .deb with all of it.
# tests/sdk/package_deb_test.cmake builds that package and lists its contents.
include_guard(GLOBAL)

install(FILES "${PROJECT_SOURCE_DIR}/config/rdkernel.conf"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/rdkernel")
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" "${PROJECT_SOURCE_DIR}/README.md"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")
# The unit names the binary by absolute path: written at install time, so it says where this
# install (or the package, under /usr) really puts rdkernel.
install(CODE "
  file(READ \"${PROJECT_SOURCE_DIR}/config/rdkernel.service\" unit)
  string(REPLACE \"/usr/local/bin/rdkernel\"
         \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/rdkernel\" unit \"\${unit}\")
  set(dest \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/systemd/system\")
  file(MAKE_DIRECTORY \"\${dest}\")
  file(WRITE \"\${dest}/rdkernel.service\" \"\${unit}\")
  message(STATUS \"Installing: \${dest}/rdkernel.service\")
")

set(CPACK_PACKAGE_NAME "rdkernel")
set(CPACK_PACKAGE_VENDOR "rdkernel")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "remote-display server and client speaking the Xpra 3.1.3 protocol, with plugins")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "rdkernel maintainers <root@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
# Library dependencies of the binary and every plugin, as dpkg-shlibdeps finds them.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Test fixtures and benchmarks are never installed (NO_INSTALL); one package holds every component.
set(CPACK_DEB_COMPONENT_INSTALL OFF)
include(CPack)
