target_sources(kbatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/KafkaVersion.cpp
    ${CMAKE_CURRENT_LIST_DIR}/KafkaVersion.h
    ${CMAKE_CURRENT_LIST_DIR}/KafkaLog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/KafkaLog.h
    ${CMAKE_CURRENT_LIST_DIR}/Metadata.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Metadata.h
    ${CMAKE_CURRENT_LIST_DIR}/Producer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Producer.h
    ${CMAKE_CURRENT_LIST_DIR}/ProducerWorker.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProducerWorker.h
    ${CMAKE_CURRENT_LIST_DIR}/PublishJob.h
    ${CMAKE_CURRENT_LIST_DIR}/RdKafkaHandles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RdKafkaHandles.h
    ${CMAKE_CURRENT_LIST_DIR}/ReadBack.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ReadBack.h
    ${CMAKE_CURRENT_LIST_DIR}/SandboxCluster.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SandboxCluster.h)
