# Included from tests/core: CMAKE_CURRENT_LIST_DIR is tests/core/kafka. Only the parts of core/kafka that need no
# broker; the rest is in tests/integration and tests/broker.
kbatch_add_test(tst_staticoauthtoken SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_staticoauthtoken.cpp LABELS core)
kbatch_add_test(tst_jobrows SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_jobrows.cpp LABELS core)
kbatch_add_test(tst_producerconfig SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_producerconfig.cpp LABELS core)

# Fails when the linked librdkafka is older than 2.6.1 (no SCRAM login to Kafka 4) or lacks a feature KBatch offers.
kbatch_add_test(tst_kafkaversion SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_kafkaversion.cpp LABELS core)

# The producer's pure parts: error texts, how a delivery report becomes a row's outcome (with the outcomes
# librdkafka 2.14.2 really reports), the commit's retry schedule and the message opaque.
kbatch_add_test(tst_produceerrors SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_produceerrors.cpp LABELS core)
kbatch_add_test(tst_deliveryclassifier SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_deliveryclassifier.cpp LABELS core)
kbatch_add_test(tst_commitretry SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_commitretry.cpp LABELS core)
kbatch_add_test(tst_messageopaque SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_messageopaque.cpp LABELS core)
kbatch_add_test(tst_transaction SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_transaction.cpp LABELS core)
