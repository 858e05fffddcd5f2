# Included from tests/core: CMAKE_CURRENT_LIST_DIR is tests/core/generate.
kbatch_add_test(tst_placeholdertemplate SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_placeholdertemplate.cpp LABELS core)
kbatch_add_test(tst_generator SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_generator.cpp LABELS core)
