# Included from tests/core: CMAKE_CURRENT_LIST_DIR is tests/core/send.
kbatch_add_test(tst_jobpreparation SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_jobpreparation.cpp LABELS core)
