# Compiler settings every Hotline target shares, through the INTERFACE target
# hotline_options. Modules link it PRIVATE so the flags do not leak to users.
add_library(hotline_options INTERFACE)
target_compile_options(hotline_options INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic>
  $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic>)
if(HOTLINE_WERROR)
  target_compile_options(hotline_options INTERFACE -Werror)
endif()

if((HOTLINE_SANITIZE OR HOTLINE_FUZZ) AND HOTLINE_TSAN)
  message(FATAL_ERROR "HOTLINE_TSAN cannot be combined with HOTLINE_SANITIZE or HOTLINE_FUZZ: "
                      "ThreadSanitizer and AddressSanitizer exclude each other")
endif()

if(HOTLINE_SANITIZE AND NOT HOTLINE_FUZZ)
  # Applied globally so that every object, test and example is instrumented alike.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# hotline_add_module(NAME SOURCES ... [DEPS ...] [LIBS ...])
# Builds the static library hotline_<NAME> from sources under src/<NAME>,
# adds it to hotline_core (everything the shared library and the tests use).
function(hotline_add_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;LIBS" ${ARGN})
  set(target hotline_${name})
  if(NOT M_SOURCES)
    return()  # a module folder with no sources yet
  endif()
  add_library(${target} STATIC ${M_SOURCES})
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
           $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>)
  target_link_libraries(${target} PRIVATE hotline_options)
  foreach(dep IN LISTS M_DEPS)
    target_link_libraries(${target} PUBLIC hotline_${dep})
  endforeach()
  if(M_LIBS)
    target_link_libraries(${target} PUBLIC ${M_LIBS})
  endif()
  target_link_libraries(hotline_core INTERFACE ${target})
endfunction()

if(HOTLINE_TSAN)
  # Every object instrumented alike, so races through inline code are seen too.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()

if(HOTLINE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "HOTLINE_FUZZ needs clang (libFuzzer): configure with "
                        "-DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14")
  endif()
  # Coverage for libFuzzer in every object; only the fuzz programs link its
  # main (-fsanitize=fuzzer, in tests/fuzz).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# Link-time optimisation of the optimised builds. The engine's work for one
# event crosses many small functions in several modules (the engine, the
# router, the timers, the attribute blocks); compiled one file at a time,
# each crossing is a call, and the code of one event is spread over the
# whole program. Linked with LTO, a call arriving at a million agents is
# handled a tenth to a quarter faster (docs/routing.md, "Link-time
# optimisation"). Left out of:
#  - a static libhotline, whose archives would hold the compiler's
#    intermediate code instead of machine code, which only this compiler's
#    linker plugin can read: a host's toolchain could not link it;
#  - the sanitized and fuzzing builds, built to find faults rather than for
#    speed (and the fuzzing build's clang would need a linker that reads
#    its intermediate code);
#  - Debug builds (the per-configuration switch below).
# HOTLINE_LTO (CMakeLists.txt) turns it off altogether.
if(HOTLINE_LTO AND HOTLINE_BUILD_SHARED AND NOT (HOTLINE_SANITIZE OR HOTLINE_TSAN OR HOTLINE_FUZZ))
  include(CheckIPOSupported)
  check_ipo_supported(RESULT hotline_lto_supported OUTPUT hotline_lto_output LANGUAGES C CXX)
  if(hotline_lto_supported)
    foreach(config RELEASE RELWITHDEBINFO MINSIZEREL)
      set(CMAKE_INTERPROCEDURAL_OPTIMIZATION_${config} ON)
    endforeach()
  else()
    message(STATUS "Hotline: link-time optimisation not supported here, built without it: "
                   "${hotline_lto_output}")
  endif()
endif()
