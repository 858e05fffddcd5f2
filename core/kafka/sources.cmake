target_sources(kbatch_kafka PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/CancelFlag.h
    ${CMAKE_CURRENT_LIST_DIR}/ClientConnect.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ClientConnect.h
    ${CMAKE_CURRENT_LIST_DIR}/JobRows.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JobRows.h
    ${CMAKE_CURRENT_LIST_DIR}/KafkaVersion.cpp
    ${CMAKE_CURRENT_LIST_DIR}/KafkaVersion.h
    ${CMAKE_CURRENT_LIST_DIR}/KafkaLog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/KafkaLog.h
    ${CMAKE_CURRENT_LIST_DIR}/Metadata.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Metadata.h
    ${CMAKE_CURRENT_LIST_DIR}/Peek.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Peek.h
    ${CMAKE_CURRENT_LIST_DIR}/Producer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Producer.h
    ${CMAKE_CURRENT_LIST_DIR}/ProducerConfig.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProducerConfig.h
    ${CMAKE_CURRENT_LIST_DIR}/ProducerWorker.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProducerWorker.h
    ${CMAKE_CURRENT_LIST_DIR}/PublishJob.h
    ${CMAKE_CURRENT_LIST_DIR}/RdKafkaHandles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RdKafkaHandles.h
    ${CMAKE_CURRENT_LIST_DIR}/ReadBack.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ReadBack.h
    ${CMAKE_CURRENT_LIST_DIR}/RowFeed.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RowFeed.h
    ${CMAKE_CURRENT_LIST_DIR}/SandboxCluster.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SandboxCluster.h
    ${CMAKE_CURRENT_LIST_DIR}/StaticOAuthToken.cpp
    ${CMAKE_CURRENT_LIST_DIR}/StaticOAuthToken.h
    ${CMAKE_CURRENT_LIST_DIR}/ThreadPriority.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ThreadPriority.h)
# How librdkafka is linked, for --version (cmake/KBatchRdkafka.cmake); only this file needs it.
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/KafkaVersion.cpp APPEND PROPERTY COMPILE_DEFINITIONS
             KBATCH_RDKAFKA_LINKAGE="${KBATCH_RDKAFKA_LINKAGE}")
