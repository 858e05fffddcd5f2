# The bundled librdkafka: Debian's own source package of a pinned, current librdkafka, fetched with apt's ordinary
# client into a private apt state, built once as a static, position-independent library and kept in a cache outside
# the build tree, so that every preset (ci, release, asan, fuzz, package) and every CI run on the machine share one
# build. Included by KBatchRdkafka.cmake; `kbatch_bundled_rdkafka(<out-var>)` sets <out-var> to the install prefix
# (include/librdkafka/rdkafka.h, lib/librdkafka.a, share/licenses/librdkafka/LICENSES.txt).
#
# Why Debian's source package: Debian 12 ships 2.0.2, which cannot log in with SCRAM to Kafka 4 (fixed in 2.6.1), and
# has no backport. apt checks the whole signature chain (InRelease -> Sources -> the .dsc's hashes) against Debian's
# archive keyring, so no checksum has to be kept here; the system's apt configuration is never touched.
#
# Settings (cache variables):
#   KBATCH_RDKAFKA_PIN         the Debian version to build (default below). Reproducible while Debian serves it.
#   KBATCH_RDKAFKA_PIN_STRICT  ON: a pin Debian no longer serves is an error. OFF (default): the build takes the newest
#                              served version (at least 2.6.1), says so in one warning line and names the new pin.
#   KBATCH_DEBIAN_MIRROR       the archive to fetch from; default: the Debian mirror this machine's apt already uses.
#   KBATCH_DEPS_CACHE          where builds are kept; default $KBATCH_DEPS_CACHE, else ~/.cache/kbatch.
# A cached build is used without any network access; only a missing one is fetched and built (about a minute).

set(KBATCH_RDKAFKA_PIN "2.14.2-1" CACHE STRING
    "Debian version of the librdkafka source package to build (KBATCH_RDKAFKA=bundled), from Debian sid")
option(KBATCH_RDKAFKA_PIN_STRICT "Fail, instead of taking the newest served version, when the pin is gone" OFF)
set(KBATCH_DEBIAN_MIRROR "" CACHE STRING "Debian archive for the librdkafka source (default: the one apt uses)")
if(DEFINED ENV{KBATCH_DEPS_CACHE} AND NOT "$ENV{KBATCH_DEPS_CACHE}" STREQUAL "")
    set(_kbatch_deps_default "$ENV{KBATCH_DEPS_CACHE}")
else()
    set(_kbatch_deps_default "$ENV{HOME}/.cache/kbatch")
endif()
set(KBATCH_DEPS_CACHE "${_kbatch_deps_default}" CACHE PATH "Where the bundled librdkafka is built and kept")

set(_KBATCH_RDKAFKA_SUITE sid)
# Bumped whenever the way it is built below changes: part of the cache directory's name, with everything else that
# changes the result.
set(_KBATCH_RDKAFKA_RECIPE 1)
# -O2 -g without NDEBUG, as Debian and upstream build it: librdkafka's internal assertions stay on. Hardened as Debian
# builds its packages. -w: librdkafka's own warnings (OpenSSL 3 deprecations and the like) are not ours to fix and
# would only bury the progress lines.
set(_KBATCH_RDKAFKA_CFLAGS "-O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2 -w")
# What sets a build apart besides its flags; empty for the plain build, so that its cache directory keeps its name.
set(_KBATCH_RDKAFKA_VARIANT "")
if(KBATCH_TSAN)
    # The tsan preset links a ThreadSanitizer build of its own, cached beside the plain one (the flags are part of the
    # cache directory's name; about two minutes, once). Uninstrumented, librdkafka's threads would hand messages to
    # the producer thread, and call KBatch's log and token callbacks, through atomics ThreadSanitizer cannot see.
    string(APPEND _KBATCH_RDKAFKA_CFLAGS " -fsanitize=thread")
    # ThreadSanitizer has no interceptors for C11 threads (google/sanitizers#1195), which glibc provides and
    # librdkafka then prefers to its own pthread-based tinycthread: a thread started with thrd_create crashes in the
    # sanitizer's runtime at its first instrumented call, and mtx_lock/cnd_wait would be invisible to it. This build
    # uses tinycthread; librdkafka's CMake has no switch for it (the try_compile result overwrites any -D), so the
    # setting is appended to the script that makes it (_kbatch_rdkafka_build).
    set(_KBATCH_RDKAFKA_VARIANT "-tinycthread")
endif()

function(_kbatch_rdkafka_fail)
    string(JOIN "" _text ${ARGN})
    message(FATAL_ERROR "librdkafka (bundled): ${_text}")
endfunction()

# The Debian archive this machine's apt already fetches from (deb822 or one-line sources alike): apt itself lists
# its index targets with the archive's Label, which tells Debian's main archive from debian-security and the rest.
function(_kbatch_debian_mirror out)
    if(KBATCH_DEBIAN_MIRROR)
        set(${out} "${KBATCH_DEBIAN_MIRROR}" PARENT_SCOPE)
        return()
    endif()
    execute_process(COMMAND apt-get indextargets --format "$(REPO_URI)" "Label: Debian"
                    OUTPUT_VARIABLE _uris ERROR_QUIET RESULT_VARIABLE _rc)
    string(REGEX MATCH "^[^\n]+" _uri "${_uris}")
    if(NOT _rc EQUAL 0 OR _uri STREQUAL "")
        set(_uri "http://deb.debian.org/debian/")
        message(STATUS "librdkafka: no Debian archive in apt's sources; using ${_uri} (set KBATCH_DEBIAN_MIRROR)")
    endif()
    set(${out} "${_uri}" PARENT_SCOPE)
endfunction()

# Everything that changes the built library, hashed into the cache directory's name.
function(_kbatch_rdkafka_build_id out cc_out)
    if(DEFINED ENV{CC} AND NOT "$ENV{CC}" STREQUAL "")
        set(_cc "$ENV{CC}")
    else()
        set(_cc cc)
    endif()
    find_program(_kbatch_cc NAMES ${_cc} NO_CACHE)
    if(NOT _kbatch_cc)
        _kbatch_rdkafka_fail("no C compiler (${_cc}) found: run packaging/install-deps.sh")
    endif()
    execute_process(COMMAND ${_kbatch_cc} --version OUTPUT_VARIABLE _cc_version ERROR_QUIET)
    string(REGEX MATCH "^[^\n]+" _cc_version "${_cc_version}")
    string(SHA256 _id "${_KBATCH_RDKAFKA_RECIPE}${_KBATCH_RDKAFKA_VARIANT}|${_KBATCH_RDKAFKA_CFLAGS}|${_kbatch_cc}|${_cc_version}|$ENV{CFLAGS}|${CMAKE_HOST_SYSTEM_PROCESSOR}")
    string(SUBSTRING "${_id}" 0 12 _id)
    set(${out} "${_id}" PARENT_SCOPE)
    set(${cc_out} "${_kbatch_cc}" PARENT_SCOPE)
endfunction()

function(_kbatch_rdkafka_complete dir out)
    if(EXISTS "${dir}/.kbatch-complete" AND EXISTS "${dir}/lib/librdkafka.a"
       AND EXISTS "${dir}/include/librdkafka/rdkafka.h")
        set(${out} TRUE PARENT_SCOPE)
    else()
        set(${out} FALSE PARENT_SCOPE)
    endif()
endfunction()

# apt-get/apt-cache with a private state: its own one-line sources file, lists and cache under KBATCH_DEPS_CACHE.
macro(_kbatch_apt_options)
    set(_apt_dir "${KBATCH_DEPS_CACHE}/apt")
    set(_apt_opts
        -o "Dir::Etc::sourcelist=${_apt_dir}/sources.list" -o "Dir::Etc::sourceparts=-"
        -o "Dir::State::Lists=${_apt_dir}/lists" -o "Dir::Cache=${_apt_dir}/cache"
        -o "APT::Get::List-Cleanup=0" -o "Acquire::Languages=none")
    # As root apt hands downloads to its unprivileged _apt user, which cannot write into root's home: say outright
    # that root downloads them (apt would fall back to that anyway, with a warning).
    execute_process(COMMAND id -u OUTPUT_VARIABLE _uid OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(_uid STREQUAL "0")
        list(APPEND _apt_opts -o "APT::Sandbox::User=root")
    endif()
endmacro()

function(_kbatch_rdkafka_fetch_index)
    _kbatch_apt_options()
    _kbatch_debian_mirror(_mirror)
    file(MAKE_DIRECTORY "${_apt_dir}/lists/partial" "${_apt_dir}/cache/archives/partial")
    set(_signed_by "")
    if(EXISTS /usr/share/keyrings/debian-archive-keyring.gpg)
        set(_signed_by "[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ")
    endif()
    file(WRITE "${_apt_dir}/sources.list" "deb-src ${_signed_by}${_mirror} ${_KBATCH_RDKAFKA_SUITE} main\n")
    message(STATUS "librdkafka: reading Debian ${_KBATCH_RDKAFKA_SUITE}'s source index from ${_mirror}")
    execute_process(COMMAND apt-get -q ${_apt_opts} update
                    OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rc)
    # apt-get update exits 0 even when a source failed to download: an index that is missing afterwards says so.
    file(GLOB _index "${_apt_dir}/lists/*_${_KBATCH_RDKAFKA_SUITE}_main_source_Sources*")
    if(NOT _rc EQUAL 0 OR NOT _index OR _err MATCHES "(^|\n)E: ")
        _kbatch_rdkafka_fail("apt-get could not read ${_mirror} ${_KBATCH_RDKAFKA_SUITE}'s source index:\n"
            "${_out}${_err}\nNo network to the Debian archive? Build once with network access (the result is cached "
            "in ${KBATCH_DEPS_CACHE}), set KBATCH_DEBIAN_MIRROR, or use a system librdkafka >= 2.6.1 "
            "(-DKBATCH_RDKAFKA=system).")
    endif()
    if(_err MATCHES "(^|\n)W: ")
        message(STATUS "librdkafka: apt-get update warned:\n${_err}")
    endif()
endfunction()

# Sets <out> to the Debian version to build: the pin when Debian serves it, else (unless strict) the newest served.
function(_kbatch_rdkafka_resolve out)
    _kbatch_apt_options()
    execute_process(COMMAND apt-cache ${_apt_opts} showsrc --only-source librdkafka
                    OUTPUT_VARIABLE _src ERROR_VARIABLE _err RESULT_VARIABLE _rc)
    string(REGEX MATCHALL "(^|\n)Version: [^\n]+" _lines "${_src}")
    set(_served "")
    foreach(_line IN LISTS _lines)
        string(REGEX REPLACE "^\n?Version: " "" _v "${_line}")
        list(APPEND _served "${_v}")
    endforeach()
    if(KBATCH_RDKAFKA_PIN IN_LIST _served)
        set(${out} "${KBATCH_RDKAFKA_PIN}" PARENT_SCOPE)
        return()
    endif()
    if(NOT _served)
        _kbatch_rdkafka_fail("Debian ${_KBATCH_RDKAFKA_SUITE} serves no librdkafka source package: ${_err}")
    endif()
    set(_newest "")
    foreach(_v IN LISTS _served)
        if(_newest STREQUAL "")
            set(_newest "${_v}")
        else()
            execute_process(COMMAND dpkg --compare-versions "${_v}" gt "${_newest}" RESULT_VARIABLE _gt)
            if(_gt EQUAL 0)
                set(_newest "${_v}")
            endif()
        endif()
    endforeach()
    string(REGEX REPLACE "^([0-9]+:)?([^-]+)(-.*)?$" "\\2" _upstream "${_newest}")
    if(KBATCH_RDKAFKA_PIN_STRICT OR _upstream VERSION_LESS KBATCH_RDKAFKA_MINIMUM)
        # (No semicolons in these messages: CMake would read them as list separators and drop them.)
        list(JOIN _served ", " _served_text)
        _kbatch_rdkafka_fail("Debian ${_KBATCH_RDKAFKA_SUITE} no longer serves librdkafka ${KBATCH_RDKAFKA_PIN} "
            "(it serves ${_served_text}). Move the pin: -DKBATCH_RDKAFKA_PIN=${_newest}, or the default in "
            "cmake/BundledRdkafka.cmake.")
    endif()
    message(WARNING "librdkafka: Debian no longer serves the pinned ${KBATCH_RDKAFKA_PIN}; building the newest "
            "served, ${_newest}, instead. Move the pin to it (KBATCH_RDKAFKA_PIN in cmake/BundledRdkafka.cmake, or "
            "-DKBATCH_RDKAFKA_PIN=${_newest}) to make the build reproducible again.")
    set(${out} "${_newest}" PARENT_SCOPE)
endfunction()

# Fetches, builds and installs Debian version `version` into `prefix`. Runs under the cache lock.
function(_kbatch_rdkafka_build version prefix cc)
    _kbatch_apt_options()
    find_program(_dpkg_source dpkg-source NO_CACHE)
    if(NOT _dpkg_source)
        _kbatch_rdkafka_fail("apt-get source needs dpkg-source: install dpkg-dev (packaging/install-deps.sh)")
    endif()
    get_filename_component(_name "${prefix}" NAME)
    set(_work "${KBATCH_DEPS_CACHE}/work/${_name}")
    file(REMOVE_RECURSE "${_work}" "${prefix}.partial")
    file(MAKE_DIRECTORY "${_work}")
    message(STATUS "librdkafka: fetching Debian's source package librdkafka ${version} (apt-get source)")
    execute_process(COMMAND apt-get -q ${_apt_opts} source --download-only "librdkafka=${version}"
                    WORKING_DIRECTORY "${_work}" OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rc)
    file(GLOB _dsc "${_work}/librdkafka_*.dsc")
    if(NOT _rc EQUAL 0 OR NOT _dsc)
        _kbatch_rdkafka_fail("apt-get source librdkafka=${version} failed:\n${_out}${_err}")
    endif()
    # Unpacked by dpkg-source, which checks every file against the .dsc's hashes (apt checked the .dsc against the
    # signed index), but without Debian's patches: all they do is unbundle cJSON, nanopb and the OpenTelemetry
    # protobufs for Debian's own Makefile build, and they break the CMake build. What is built is upstream's
    # release tarball.
    execute_process(COMMAND dpkg-source --skip-patches -x "${_dsc}" src
                    WORKING_DIRECTORY "${_work}" OUTPUT_VARIABLE _out ERROR_VARIABLE _err RESULT_VARIABLE _rc)
    set(_srcdir "${_work}/src")
    if(NOT _rc EQUAL 0 OR NOT EXISTS "${_srcdir}/CMakeLists.txt")
        _kbatch_rdkafka_fail("dpkg-source could not unpack ${_dsc}:\n${_out}${_err}")
    endif()
    if(_KBATCH_RDKAFKA_VARIANT STREQUAL "-tinycthread")
        file(APPEND "${_srcdir}/packaging/cmake/try_compile/rdkafka_setup.cmake"
             "\n# KBatch's ThreadSanitizer build: tinycthread, never C11 threads\nset(WITH_C11THREADS 0)\n")
    endif()
    file(SHA256 "${_dsc}" _dsc_sha)
    file(STRINGS "${_apt_dir}/sources.list" _source_line LIMIT_COUNT 1)

    # Static and PIC (it ends up in executables built as PIE), no tests or examples. Every optional feature KBatch
    # offers is required, so that a missing -dev package fails here rather than silently dropping, say, SCRAM.
    set(_cflags "${_KBATCH_RDKAFKA_CFLAGS}")
    set(_build "${_work}/build")
    set(_launcher "")
    find_program(_ccache ccache NO_CACHE)
    if(_ccache)
        set(_launcher "-DCMAKE_C_COMPILER_LAUNCHER=${_ccache}" "-DCMAKE_CXX_COMPILER_LAUNCHER=${_ccache}")
    endif()
    message(STATUS "librdkafka: configuring ${version} (static, PIC; log: ${_work}/configure.log)")
    execute_process(
        COMMAND "${CMAKE_COMMAND}" -S "${_srcdir}" -B "${_build}" -G Ninja
                "-DCMAKE_C_COMPILER=${cc}" ${_launcher}
                -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_C_FLAGS_RELWITHDEBINFO=${_cflags}"
                "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=${_cflags}"
                -DCMAKE_POSITION_INDEPENDENT_CODE=ON "-DCMAKE_INSTALL_PREFIX=${prefix}" -DCMAKE_INSTALL_LIBDIR=lib
                -DRDKAFKA_BUILD_STATIC=ON -DRDKAFKA_BUILD_TESTS=OFF -DRDKAFKA_BUILD_EXAMPLES=OFF
                -DWITH_SSL=ON -DWITH_SASL=ON -DWITH_ZLIB=ON -DWITH_ZSTD=ON -DWITH_CURL=ON -DENABLE_LZ4_EXT=ON
        OUTPUT_FILE "${_work}/configure.log" ERROR_FILE "${_work}/configure.log" RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
        file(READ "${_work}/configure.log" _log)
        _kbatch_rdkafka_fail("configuring librdkafka ${version} failed (missing -dev packages? run "
                             "packaging/install-deps.sh):\n${_log}")
    endif()
    if(DEFINED ENV{CMAKE_BUILD_PARALLEL_LEVEL} AND NOT "$ENV{CMAKE_BUILD_PARALLEL_LEVEL}" STREQUAL "")
        set(_jobs "$ENV{CMAKE_BUILD_PARALLEL_LEVEL}")
    else()
        set(_jobs 2)
    endif()
    message(STATUS "librdkafka: building ${version} with ${_jobs} jobs (about a minute on 2 cores, once per machine)")
    string(TIMESTAMP _t0 "%s")
    # Ninja's progress lines go straight to the terminal; they are the progress shown.
    execute_process(COMMAND "${CMAKE_COMMAND}" -E env "NINJA_STATUS=librdkafka [%f/%t] "
                            "${CMAKE_COMMAND}" --build "${_build}" --parallel ${_jobs}
                    RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
        _kbatch_rdkafka_fail("building librdkafka ${version} failed (output above, the sources are in ${_work})")
    endif()
    execute_process(COMMAND "${CMAKE_COMMAND}" --install "${_build}" --prefix "${prefix}.partial"
                    OUTPUT_QUIET RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
        _kbatch_rdkafka_fail("installing librdkafka ${version} into ${prefix}.partial failed")
    endif()
    # Debian's copyright file beside upstream's LICENSES.txt: both go into the .deb's copyright file.
    file(COPY "${_srcdir}/debian/copyright" DESTINATION "${prefix}.partial/share/licenses/librdkafka")
    string(TIMESTAMP _t1 "%s")
    math(EXPR _seconds "${_t1} - ${_t0}")
    string(TIMESTAMP _now UTC)
    file(WRITE "${prefix}.partial/.kbatch-complete"
         "version=${version}\ndsc_sha256=${_dsc_sha}\nsource=${_source_line}\ncc=${cc}\n"
         "cflags=${_cflags}\nbuilt=${_now}\nbuild_seconds=${_seconds}\n")
    file(RENAME "${prefix}.partial" "${prefix}")
    file(REMOVE_RECURSE "${_work}")
    message(STATUS "librdkafka: ${version} built in ${_seconds} s, kept in ${prefix}")
endfunction()

function(kbatch_bundled_rdkafka out_prefix out_version)
    _kbatch_rdkafka_build_id(_id _cc)
    set(_pinned "${KBATCH_DEPS_CACHE}/librdkafka-${KBATCH_RDKAFKA_PIN}-${_id}")
    _kbatch_rdkafka_complete("${_pinned}" _done)
    if(NOT _done)
        # One build at a time on this machine: two configures (presets, worktrees, CI) wait for each other, and the
        # second then finds the first one's result.
        file(MAKE_DIRECTORY "${KBATCH_DEPS_CACHE}")
        message(STATUS "librdkafka: ${KBATCH_RDKAFKA_PIN} is not built yet; locking ${KBATCH_DEPS_CACHE}/librdkafka.lock")
        file(LOCK "${KBATCH_DEPS_CACHE}/librdkafka.lock" GUARD PROCESS TIMEOUT 1800 RESULT_VARIABLE _lock)
        if(NOT _lock EQUAL 0)
            _kbatch_rdkafka_fail("could not lock ${KBATCH_DEPS_CACHE}/librdkafka.lock: ${_lock}")
        endif()
        _kbatch_rdkafka_complete("${_pinned}" _done)
        if(NOT _done)
            _kbatch_rdkafka_fetch_index()
            _kbatch_rdkafka_resolve(_version)
            set(_pinned "${KBATCH_DEPS_CACHE}/librdkafka-${_version}-${_id}")
            _kbatch_rdkafka_complete("${_pinned}" _done)
            if(NOT _done)
                _kbatch_rdkafka_build("${_version}" "${_pinned}" "${_cc}")
            endif()
        endif()
        file(LOCK "${KBATCH_DEPS_CACHE}/librdkafka.lock" RELEASE)
    endif()
    file(STRINGS "${_pinned}/.kbatch-complete" _v REGEX "^version=")
    string(REGEX REPLACE "^version=" "" _v "${_v}")
    set(${out_prefix} "${_pinned}" PARENT_SCOPE)
    set(${out_version} "${_v}" PARENT_SCOPE)
endfunction()
