# core/schema: Schema Registry payloads (the codec seam, Avro through avro-c, framing, subjects, the registry client).
target_sources(kbatch_schema PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/ConfluentFrame.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ConfluentFrame.h
    ${CMAKE_CURRENT_LIST_DIR}/Schema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Schema.h
    ${CMAKE_CURRENT_LIST_DIR}/SerializerSettings.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SerializerSettings.h
    ${CMAKE_CURRENT_LIST_DIR}/SubjectName.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SubjectName.h)
