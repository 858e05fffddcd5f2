# Included from tests/core: CMAKE_CURRENT_LIST_DIR is tests/core/format, test data lives in tests/core/data/format.
kbatch_add_test(tst_jsonreader SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_jsonreader.cpp LABELS core)
kbatch_add_test(tst_templatereader SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_templatereader.cpp LABELS core)
kbatch_add_test(tst_templatewriter SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_templatewriter.cpp LABELS core)
kbatch_add_test(tst_csvimporter SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_csvimporter.cpp LABELS core)
kbatch_add_test(tst_jsonlinesimporter SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_jsonlinesimporter.cpp LABELS core)
kbatch_add_test(tst_textimporters SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_textimporters.cpp LABELS core)
kbatch_add_test(tst_resultexport SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_resultexport.cpp LABELS core)
