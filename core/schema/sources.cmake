# core/schema: Schema Registry payloads (the codec seam, Avro through avro-c, framing, subjects, the registry client).
pkg_check_modules(AVRO REQUIRED IMPORTED_TARGET avro-c>=1.11)
target_link_libraries(kbatch_schema PRIVATE PkgConfig::AVRO)
# Protobuf: libprotobuf (descriptors, dynamic messages, JSON) and libprotoc (the .proto parser, run at run time).
pkg_check_modules(PROTOBUF REQUIRED IMPORTED_TARGET protobuf>=3.21)
find_library(KBATCH_PROTOC_LIBRARY NAMES protoc REQUIRED)
target_link_libraries(kbatch_schema PRIVATE PkgConfig::PROTOBUF ${KBATCH_PROTOC_LIBRARY})
# JSON Schema: valijson (header-only) validates, over nlohmann-json documents.
find_package(nlohmann_json 3 REQUIRED)
find_package(valijson REQUIRED)
target_link_libraries(kbatch_schema PRIVATE nlohmann_json::nlohmann_json valijson)
target_compile_definitions(kbatch_schema PRIVATE VALIJSON_USE_EXCEPTIONS=1)
target_sources(kbatch_schema PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/AvroCodec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroCodec.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroDatumCheck.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroDatumCheck.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroHandles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroHandles.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroJsonDecoder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroJsonDecoder.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroJsonEncoder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroJsonEncoder.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroJsonScalars.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroJsonText.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroLogical.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroLogical.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroSamples.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroSamples.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroSchema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroSchema.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroSchemaBuild.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroSchemaBuild.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroTemplatePlan.cpp
    ${CMAKE_CURRENT_LIST_DIR}/AvroTemplatePlan.h
    ${CMAKE_CURRENT_LIST_DIR}/AvroNode.cpp
    ${CMAKE_CURRENT_LIST_DIR}/CodecCache.cpp
    ${CMAKE_CURRENT_LIST_DIR}/CodecCache.h
    ${CMAKE_CURRENT_LIST_DIR}/ConfluentFrame.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ConfluentFrame.h
    ${CMAKE_CURRENT_LIST_DIR}/IdlePool.h
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaCodec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaCodec.h
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaDocuments.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaDocuments.h
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaErrors.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaErrors.h
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaFast.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaFast.h
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaPattern.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaSamples.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JsonSchemaSamples.h
    ${CMAKE_CURRENT_LIST_DIR}/PayloadCodec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/PayloadCodec.h
    ${CMAKE_CURRENT_LIST_DIR}/ProtobufCodec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProtobufCodec.h
    ${CMAKE_CURRENT_LIST_DIR}/ProtobufJsonEncoder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProtobufJsonEncoder.h
    ${CMAKE_CURRENT_LIST_DIR}/ProtobufPool.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProtobufPool.h
    ${CMAKE_CURRENT_LIST_DIR}/ProtobufSamples.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ProtobufSamples.h
    ${CMAKE_CURRENT_LIST_DIR}/RegistryClient.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RegistryClient.h
    ${CMAKE_CURRENT_LIST_DIR}/RegistryAnswer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RegistryAnswer.h
    ${CMAKE_CURRENT_LIST_DIR}/RegistryError.h
    ${CMAKE_CURRENT_LIST_DIR}/RegistryWait.h
    ${CMAKE_CURRENT_LIST_DIR}/RowSerializer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/RowSerializer.h
    ${CMAKE_CURRENT_LIST_DIR}/Schema.cpp
    ${CMAKE_CURRENT_LIST_DIR}/Schema.h
    ${CMAKE_CURRENT_LIST_DIR}/SchemaFill.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SchemaFill.h
    ${CMAKE_CURRENT_LIST_DIR}/SchemaLog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SchemaLog.h
    ${CMAKE_CURRENT_LIST_DIR}/SchemaResolver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SchemaResolver.h
    ${CMAKE_CURRENT_LIST_DIR}/SendCodecResolution.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SendCodecResolution.h
    ${CMAKE_CURRENT_LIST_DIR}/SubjectName.cpp
    ${CMAKE_CURRENT_LIST_DIR}/SubjectName.h)
