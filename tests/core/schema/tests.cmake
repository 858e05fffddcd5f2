# Included from tests/core: CMAKE_CURRENT_LIST_DIR is tests/core/schema, test data lives in tests/core/data/schema.
kbatch_add_test(tst_confluentframe SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_confluentframe.cpp LABELS core)
kbatch_add_test(tst_subjectname SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_subjectname.cpp LABELS core)
kbatch_add_test(tst_avrocodec SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_avrocodec.cpp LABELS core)
kbatch_add_test(tst_avroschema SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_avroschema.cpp LABELS core)
kbatch_add_test(tst_codeccache SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_codeccache.cpp LABELS core)
kbatch_add_test(tst_rowserializer SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_rowserializer.cpp LABELS core)
kbatch_add_test(tst_protobufcodec SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_protobufcodec.cpp LABELS core)
kbatch_add_test(tst_jsonschemacodec SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_jsonschemacodec.cpp LABELS core)
