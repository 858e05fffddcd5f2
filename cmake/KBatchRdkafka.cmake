# Which librdkafka KBatch links. One setting:
#
#   KBATCH_RDKAFKA=auto     (default) the system's librdkafka when pkg-config finds 2.6.1 or newer (Debian 13 has
#                           2.8.0), otherwise the bundled one
#   KBATCH_RDKAFKA=system   the system's, and it must be 2.6.1 or newer
#   KBATCH_RDKAFKA=bundled  Debian's source package of a pinned current version, built once as a static library and
#                           cached outside the build tree (BundledRdkafka.cmake says how)
#
# 2.6.1 is the floor because older versions cannot log in with SCRAM to Kafka 4 (their SCRAM client-final message
# repeats the nonce; Kafka 4 checks it strictly and answers "invalid credentials").
#
# Defines:
#   kbatch_rdkafka                the target to link, PRIVATE, into kbatch_core (and the benchmark's bare librdkafka
#                                 loop): no other target sees rdkafka.h
#   KBATCH_RDKAFKA_KIND           "bundled" or "system"
#   KBATCH_RDKAFKA_VERSION        the version built against, e.g. 2.14.2
#   KBATCH_RDKAFKA_LINKAGE        how it is linked, as --version shows it: "bundled, static, Debian source 2.14.2-1"
#                                 or "system, shared"
#   KBATCH_RDKAFKA_LICENSE_FILES  librdkafka's licence texts, for the About dialog and the .deb's copyright file
#   KBATCH_RDKAFKA_DEBIAN_COPYRIGHT, KBATCH_RDKAFKA_DEBIAN_VERSION (bundled only): Debian's copyright file for the
#                                 source package built, and its version (e.g. 2.14.2-1)

set(KBATCH_RDKAFKA_MINIMUM 2.6.1)
set(KBATCH_RDKAFKA auto CACHE STRING "Which librdkafka to link: auto, system or bundled")
set_property(CACHE KBATCH_RDKAFKA PROPERTY STRINGS auto system bundled)
if(NOT KBATCH_RDKAFKA MATCHES "^(auto|system|bundled)$")
    message(FATAL_ERROR "KBATCH_RDKAFKA must be auto, system or bundled, not '${KBATCH_RDKAFKA}'")
endif()

find_package(PkgConfig REQUIRED)

set(_kbatch_use_system FALSE)
if(NOT KBATCH_RDKAFKA STREQUAL "bundled")
    pkg_check_modules(KBATCH_SYSTEM_RDKAFKA QUIET IMPORTED_TARGET rdkafka)
    if(KBATCH_SYSTEM_RDKAFKA_FOUND AND KBATCH_SYSTEM_RDKAFKA_VERSION VERSION_GREATER_EQUAL KBATCH_RDKAFKA_MINIMUM)
        set(_kbatch_use_system TRUE)
    elseif(KBATCH_RDKAFKA STREQUAL "system")
        if(KBATCH_SYSTEM_RDKAFKA_FOUND)
            set(_found "finds ${KBATCH_SYSTEM_RDKAFKA_VERSION}")
        else()
            set(_found "finds none")
        endif()
        message(FATAL_ERROR "KBATCH_RDKAFKA=system needs librdkafka >= ${KBATCH_RDKAFKA_MINIMUM} (pkg-config rdkafka "
                            "${_found}); use -DKBATCH_RDKAFKA=bundled or auto")
    elseif(KBATCH_SYSTEM_RDKAFKA_FOUND)
        message(STATUS "librdkafka: the system's ${KBATCH_SYSTEM_RDKAFKA_VERSION} is older than "
                       "${KBATCH_RDKAFKA_MINIMUM}; using the bundled one")
    endif()
endif()

if(_kbatch_use_system)
    add_library(kbatch_rdkafka INTERFACE)
    target_link_libraries(kbatch_rdkafka INTERFACE PkgConfig::KBATCH_SYSTEM_RDKAFKA)
    set(KBATCH_RDKAFKA_KIND system)
    set(KBATCH_RDKAFKA_VERSION "${KBATCH_SYSTEM_RDKAFKA_VERSION}")
    set(KBATCH_RDKAFKA_LINKAGE "system, shared")
    # Not shipped with KBatch in this case (it is the system's package), but shown in the About dialog all the same.
    file(GLOB KBATCH_RDKAFKA_LICENSE_FILES /usr/share/doc/librdkafka1/copyright /usr/share/licenses/librdkafka/*)
else()
    include(BundledRdkafka)
    kbatch_bundled_rdkafka(_kbatch_rdkafka_prefix _kbatch_rdkafka_debian_version)
    # What the static library needs at link time, as its own build found it (src/CMakeLists.txt of librdkafka).
    find_package(OpenSSL REQUIRED)
    find_package(CURL REQUIRED)
    find_package(ZLIB REQUIRED)
    find_package(Threads REQUIRED)
    pkg_check_modules(KBATCH_RDKAFKA_DEPS REQUIRED IMPORTED_TARGET libsasl2 libzstd liblz4)
    add_library(kbatch_rdkafka STATIC IMPORTED)
    set_target_properties(kbatch_rdkafka PROPERTIES
        IMPORTED_LOCATION "${_kbatch_rdkafka_prefix}/lib/librdkafka.a"
        # A system include directory, searched before /usr/include: Debian's librdkafka-dev (2.0.2), if installed,
        # can never be the rdkafka.h that kbatch_core compiles against.
        INTERFACE_INCLUDE_DIRECTORIES "${_kbatch_rdkafka_prefix}/include"
        INTERFACE_COMPILE_DEFINITIONS LIBRDKAFKA_STATICLIB
        INTERFACE_LINK_LIBRARIES
            "OpenSSL::SSL;OpenSSL::Crypto;CURL::libcurl;ZLIB::ZLIB;PkgConfig::KBATCH_RDKAFKA_DEPS;Threads::Threads;${CMAKE_DL_LIBS};m")
    set(KBATCH_RDKAFKA_KIND bundled)
    set(KBATCH_RDKAFKA_LINKAGE "bundled, static, Debian source ${_kbatch_rdkafka_debian_version}")
    string(REGEX REPLACE "^([0-9]+:)?([^-]+)(-.*)?$" "\\2" KBATCH_RDKAFKA_VERSION "${_kbatch_rdkafka_debian_version}")
    set(KBATCH_RDKAFKA_LICENSE_FILES "${_kbatch_rdkafka_prefix}/share/licenses/librdkafka/LICENSES.txt")
    set(KBATCH_RDKAFKA_DEBIAN_COPYRIGHT "${_kbatch_rdkafka_prefix}/share/licenses/librdkafka/copyright")
    set(KBATCH_RDKAFKA_DEBIAN_VERSION "${_kbatch_rdkafka_debian_version}")
endif()
message(STATUS "librdkafka: ${KBATCH_RDKAFKA_KIND} ${KBATCH_RDKAFKA_VERSION} (KBATCH_RDKAFKA=${KBATCH_RDKAFKA})")
