find_package(doctest REQUIRED)

# One doctest main shared by every suite.
add_library(hotline_doctest_main OBJECT ${PROJECT_SOURCE_DIR}/tests/doctest_main.cpp)
target_link_libraries(hotline_doctest_main PRIVATE doctest::doctest)

# hotline_add_test_suite(NAME SOURCES ... [LIBS ...])
# Builds hotline_<NAME>_tests from tests/<NAME>/ and registers it with ctest.
function(hotline_add_test_suite name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  set(target hotline_${name}_tests)
  if(NOT T_SOURCES)
    return()
  endif()
  add_executable(${target} ${T_SOURCES} $<TARGET_OBJECTS:hotline_doctest_main>)
  target_link_libraries(${target} PRIVATE hotline_options doctest::doctest ${T_LIBS})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  add_test(NAME ${name} COMMAND ${target})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "HOTLINE_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data;HOTLINE_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
