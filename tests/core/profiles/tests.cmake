# Included from tests/core: CMAKE_CURRENT_LIST_DIR is tests/core/profiles.
kbatch_add_test(tst_connectionprofile SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_connectionprofile.cpp LABELS core)
kbatch_add_test(tst_profilestore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_profilestore.cpp LABELS core)
kbatch_add_test(tst_secretstore SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_secretstore.cpp LABELS core)
