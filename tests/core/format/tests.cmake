# Included from tests/core: CMAKE_CURRENT_LIST_DIR is tests/core/format, test data lives in tests/core/data/format.
kbatch_add_test(tst_jsonreader SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_jsonreader.cpp LABELS core)
kbatch_add_test(tst_jsontext SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_jsontext.cpp LABELS core)
kbatch_add_test(tst_templatereader SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_templatereader.cpp LABELS core)
kbatch_add_test(tst_templatewindow SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_templatewindow.cpp LABELS core)
kbatch_add_test(tst_inputfile SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_inputfile.cpp LABELS core)
kbatch_add_test(tst_templatewriter SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_templatewriter.cpp LABELS core)
kbatch_add_test(tst_templateserialization SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_templateserialization.cpp LABELS core)
kbatch_add_test(tst_csvimporter SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_csvimporter.cpp LABELS core)
kbatch_add_test(tst_jsonlinesimporter SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_jsonlinesimporter.cpp LABELS core)
kbatch_add_test(tst_textimporters SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_textimporters.cpp LABELS core)
kbatch_add_test(tst_resultexport SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_resultexport.cpp LABELS core)
kbatch_add_test(tst_rowexport SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_rowexport.cpp LABELS core)

# The JSON Schema in docs/ must accept the sample templates and reject the invalid fixtures
# (needs Python's jsonschema: Debian package python3-jsonschema).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
    add_test(NAME tst_template_schema
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_template_schema.py
                     ${PROJECT_SOURCE_DIR}/docs/template-format.schema.json
                     ${PROJECT_SOURCE_DIR}/resources/templates
                     ${CMAKE_CURRENT_LIST_DIR}/../data/format/schema-invalid)
    set_tests_properties(tst_template_schema PROPERTIES LABELS core TIMEOUT 60)
else()
    message(WARNING "python3 not found: tst_template_schema (JSON Schema check of the sample templates) is not run")
endif()
