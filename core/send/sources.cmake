# core/send: turning rows into a publish job, for the window and kbatch-cli alike: the rows of a scope (all, selected,
# failed), generator rows expanded as they are sent (streamed, so memory stays bounded), and which source row each
# job row came from.
target_sources(kbatch_send PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/JobFeeder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JobFeeder.h
    ${CMAKE_CURRENT_LIST_DIR}/JobPreparation.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JobPreparation.h
    ${CMAKE_CURRENT_LIST_DIR}/JobSources.cpp
    ${CMAKE_CURRENT_LIST_DIR}/JobSources.h)
