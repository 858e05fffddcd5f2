# core/profiles: connection profiles (QSettings, no secrets) and secret stores (system keychain, memory).
target_sources(kbatch_profiles PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/ConnectionProfile.cpp
    ${CMAKE_CURRENT_LIST_DIR}/KeychainSecretStore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/LibrdkafkaProperties.cpp
    ${CMAKE_CURRENT_LIST_DIR}/MemorySecretStore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProfileStore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProfilesLog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RegistryProfile.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RegistryProfile.h
    ${CMAKE_CURRENT_LIST_DIR}/SecretStore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Secrets.cpp)
