# core/generate: the placeholder engine for generator rows.
target_sources(kbatch_generate PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/Clock.cpp
    ${CMAKE_CURRENT_LIST_DIR}/GenerateLog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Generator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JsonMerge.cpp
    ${CMAKE_CURRENT_LIST_DIR}/PlaceholderTemplate.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Random.cpp)
