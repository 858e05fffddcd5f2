target_sources(kbatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/JsonContext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JsonContext.h
    ${CMAKE_CURRENT_LIST_DIR}/JsonReader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JsonReader.h
    ${CMAKE_CURRENT_LIST_DIR}/PayloadWriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/PayloadWriter.h
    ${CMAKE_CURRENT_LIST_DIR}/TemplateReader.cpp
    ${CMAKE_CURRENT_LIST_DIR}/TemplateReader.h
    ${CMAKE_CURRENT_LIST_DIR}/TemplateWriter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/TemplateWriter.h)
