# Included from tests/core: CMAKE_CURRENT_LIST_DIR is tests/core/profiles.
kbatch_add_test(tst_connectionprofile SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_connectionprofile.cpp LABELS core)
kbatch_add_test(tst_profilestore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_profilestore.cpp LABELS core)
kbatch_add_test(tst_secretstore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_secretstore.cpp LABELS core)

# The real system keychain: CTest label "keychain" (not "core"), since it needs D-Bus and a Secret Service.
# Not kbatch_add_test, because the binary runs three times, each function in a process of its own (QtKeychain and
# libsecret choose their backend and D-Bus connection once per process), the first inside a private D-Bus session
# with an unlocked gnome-keyring:
#   dbus-run-session -- sh -c 'export HOME=$(mktemp -d); eval "$(printf pw | gnome-keyring-daemon --unlock
#                                --components=secrets)"; "$0" "$@"' tst_keychainsecretstore realKeychain
# Needs the Debian packages dbus, gnome-keyring, libsecret-tools (secret-tool) and libsecret-1-0; without them the
# test fails rather than skips.
add_executable(tst_keychainsecretstore ${CMAKE_CURRENT_LIST_DIR}/tst_keychainsecretstore.cpp)
target_link_libraries(tst_keychainsecretstore PRIVATE kbatch_core kbatch_settings Qt6::Test Qt6::Network)
target_include_directories(tst_keychainsecretstore PRIVATE ${PROJECT_SOURCE_DIR})
add_test(NAME tst_keychainsecretstore
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/run-with-keychain.sh $<TARGET_FILE:tst_keychainsecretstore> realKeychain)
add_test(NAME tst_keychainsecretstore_nodbus COMMAND tst_keychainsecretstore noDbus)
add_test(NAME tst_keychainsecretstore_hungdbus COMMAND tst_keychainsecretstore hungDbus)
set_tests_properties(tst_keychainsecretstore tst_keychainsecretstore_nodbus tst_keychainsecretstore_hungdbus
                     PROPERTIES LABELS keychain TIMEOUT 60 ENVIRONMENT "QT_FORCE_STDERR_LOGGING=1")
