# The licence texts the programs show in Help > About, as a Qt resource file (prefix /licenses): KBatch's own, Qt's
# (LGPL-3.0, with the GPL-3.0 it incorporates), QtKeychain's and librdkafka's (with the licences of the code it
# bundles, when it is built in). They are taken at build time from the files Debian ships with the very libraries
# linked, and from the librdkafka build (KBatchRdkafka.cmake), so that no third-party text is kept in this repository
# and none can go stale.
#
# kbatch_license_resources(<out-var>) sets <out-var> to the generated .qrc, to be added to a target's sources with
# AUTORCC on. A licence that cannot be found is an error: shipping without it is not an option.

function(kbatch_license_resources out_qrc)
    set(_dir "${CMAKE_CURRENT_BINARY_DIR}/licenses")
    file(GLOB _qtkeychain /usr/share/doc/libqt6keychain1/copyright /usr/share/doc/libqt6keychain*/copyright)
    list(SORT _qtkeychain)
    list(GET _qtkeychain 0 _qtkeychain)
    # resource name -> source file
    set(_names kbatch qt-lgpl-3.0 gpl-3.0 qtkeychain)
    set(_file_kbatch "${PROJECT_SOURCE_DIR}/LICENSE")
    set(_file_qt-lgpl-3.0 /usr/share/common-licenses/LGPL-3)
    set(_file_gpl-3.0 /usr/share/common-licenses/GPL-3)
    set(_file_qtkeychain "${_qtkeychain}")
    if(KBATCH_RDKAFKA_LICENSE_FILES)
        list(GET KBATCH_RDKAFKA_LICENSE_FILES 0 _file_librdkafka)
        list(APPEND _names librdkafka)
    endif()

    set(_qrc "<!DOCTYPE RCC><RCC version=\"1.0\">\n<qresource prefix=\"/licenses\">\n")
    foreach(_name IN LISTS _names)
        set(_src "${_file_${_name}}")
        if(NOT _src OR NOT EXISTS "${_src}")
            message(FATAL_ERROR "The licence text for '${_name}' is missing (${_src}): run packaging/install-deps.sh")
        endif()
        configure_file("${_src}" "${_dir}/${_name}.txt" COPYONLY)
        string(APPEND _qrc "    <file>${_name}.txt</file>\n")
    endforeach()
    if(NOT librdkafka IN_LIST _names)
        # The system's shared librdkafka without a copyright file of its own: say where its licence is.
        file(WRITE "${_dir}/librdkafka.txt"
             "librdkafka is the system's shared library here. It is licensed under the BSD 2-Clause License; its "
             "package carries the full text with the licences of the code it bundles.\n")
        string(APPEND _qrc "    <file>librdkafka.txt</file>\n")
    endif()
    string(APPEND _qrc "</qresource>\n</RCC>\n")
    file(CONFIGURE OUTPUT "${_dir}/licenses.qrc" CONTENT "${_qrc}" @ONLY)
    set(${out_qrc} "${_dir}/licenses.qrc" PARENT_SCOPE)
endfunction()

# DEP-5 continuation lines: every line indented by one space, empty lines as " .".
function(_kbatch_dep5_indent text out)
    string(REPLACE "\r" "" text "${text}")
    string(REGEX REPLACE "\n+$" "" text "${text}")
    string(REPLACE "\n" "\n " text " ${text}")
    # Twice: a match takes the line break after an empty line with it, so back-to-back empty lines need two passes.
    foreach(_pass 1 2)
        string(REGEX REPLACE "(^|\n) [ \t]*(\n|$)" "\\1 .\\2" text "${text}")
    endforeach()
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# kbatch_debian_copyright(<file>) writes the .deb's /usr/share/doc/kbatch/copyright (Debian policy 12.5) in the
# machine-readable format: KBatch's licence and, when librdkafka is built in statically (KBATCH_RDKAFKA_KIND
# bundled), librdkafka's: Debian's own copyright stanzas for it, with their paths under librdkafka/, and upstream's
# LICENSES.txt (librdkafka's licence and those of the code it bundles) in full in the header's Comment.
function(kbatch_debian_copyright file)
    set(_text "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
              "Upstream-Name: KBatch\nUpstream-Contact: ${CPACK_PACKAGE_CONTACT}\nSource: ${PROJECT_HOMEPAGE_URL}\n")
    string(JOIN "" _text ${_text})
    set(_rdkafka "")
    if(KBATCH_RDKAFKA_KIND STREQUAL "bundled")
        list(GET KBATCH_RDKAFKA_LICENSE_FILES 0 _licenses)
        file(READ "${_licenses}" _upstream)
        _kbatch_dep5_indent("${_upstream}" _upstream)
        string(APPEND _text
               "Comment: kbatch and kbatch-cli contain librdkafka ${KBATCH_RDKAFKA_VERSION}, built from Debian's source\n"
               " package ${KBATCH_RDKAFKA_DEBIAN_VERSION} and linked statically, with the code it bundles. Their\n"
               " licences follow: Debian's copyright stanzas for librdkafka's source (with\n"
               " paths under librdkafka/) below, and here upstream's LICENSES.txt in full.\n .\n"
               "${_upstream}\n")
        file(READ "${KBATCH_RDKAFKA_DEBIAN_COPYRIGHT}" _debian)
        string(REPLACE "\r" "" _debian "${_debian}")
        # Drop Debian's header paragraph (it names librdkafka as the upstream), keep the Files and License ones.
        string(FIND "${_debian}" "\n\n" _end)
        math(EXPR _end "${_end} + 2")
        string(SUBSTRING "${_debian}" ${_end} -1 _debian)
        string(REGEX MATCHALL "(^|\n)Files:[^\n]*" _files_lines "${_debian}")
        foreach(_line IN LISTS _files_lines)
            string(REGEX REPLACE "^\n?Files:[ \t]*" "" _patterns "${_line}")
            string(REGEX REPLACE "([^ \t]+)" "librdkafka/\\1" _patterns "${_patterns}")
            string(REGEX REPLACE "^(\n?)Files:.*" "\\1Files: ${_patterns}" _new "${_line}")
            string(REPLACE "${_line}" "${_new}" _debian "${_debian}")
        endforeach()
        string(REGEX REPLACE "\n+$" "" _debian "${_debian}")
        set(_rdkafka "\n${_debian}\n")
    endif()
    string(APPEND _text
           "\nFiles: *\nCopyright: 2026 KBatch contributors\nLicense: Apache-2.0\n"
           " Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use\n"
           " this file except in compliance with the License. You may obtain a copy of the\n"
           " License at http://www.apache.org/licenses/LICENSE-2.0\n .\n"
           " On Debian systems, the complete text of the Apache License, Version 2.0 can be\n"
           " found in \"/usr/share/common-licenses/Apache-2.0\".\n"
           "${_rdkafka}")
    file(CONFIGURE OUTPUT "${file}" CONTENT "${_text}" @ONLY)
endfunction()
