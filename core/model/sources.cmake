target_sources(kbatch_model PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/Batch.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Batch.h
    ${CMAKE_CURRENT_LIST_DIR}/CowVector.h
    ${CMAKE_CURRENT_LIST_DIR}/DeliveryResult.cpp
    ${CMAKE_CURRENT_LIST_DIR}/DeliveryResult.h
    ${CMAKE_CURRENT_LIST_DIR}/Error.h
    ${CMAKE_CURRENT_LIST_DIR}/Message.h
    ${CMAKE_CURRENT_LIST_DIR}/ProducerSettings.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProducerSettings.h
    ${CMAKE_CURRENT_LIST_DIR}/Printable.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Printable.h
    ${CMAKE_CURRENT_LIST_DIR}/PropertyPolicy.cpp
    ${CMAKE_CURRENT_LIST_DIR}/PropertyPolicy.h
    ${CMAKE_CURRENT_LIST_DIR}/Template.h
    ${CMAKE_CURRENT_LIST_DIR}/TopicName.cpp
    ${CMAKE_CURRENT_LIST_DIR}/TopicName.h)
