# Compiler warnings shared by every Concord target.
function(concord_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wold-style-cast -Wcast-align -Woverloaded-virtual)
    if(CONCORD_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()

# concord_add_test(<name> SOURCES <files...> LIBS <targets...> [GUI])
# One Qt Test executable per class or area, registered with CTest. GUI tests run offscreen.
function(concord_add_test name)
    cmake_parse_arguments(T "GUI" "" "SOURCES;LIBS" ${ARGN})
    add_executable(${name} ${T_SOURCES})
    set_target_properties(${name} PROPERTIES AUTOMOC ON)
    target_link_libraries(${name} PRIVATE ${T_LIBS} Qt6::Test)
    target_compile_definitions(${name} PRIVATE
        CONCORD_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        CONCORD_BINARY_DIR="${PROJECT_BINARY_DIR}")
    concord_set_warnings(${name})
    add_test(NAME ${name} COMMAND ${name})
    set(env "LANG=C.UTF-8")
    if(T_GUI)
        list(APPEND env "QT_QPA_PLATFORM=offscreen")
    endif()
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT 300)
endfunction()
