# Debian packages that ship neither a CMake config nor a pkg-config file get
# imported targets here: hotline::cctz (time zones), hotline::phonenumber (E.164).
find_path(CCTZ_INCLUDE_DIR cctz/time_zone.h REQUIRED)
find_library(CCTZ_LIBRARY cctz REQUIRED)
add_library(hotline::cctz UNKNOWN IMPORTED)
set_target_properties(hotline::cctz PROPERTIES
  IMPORTED_LOCATION ${CCTZ_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${CCTZ_INCLUDE_DIR})

find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
add_library(hotline::phonenumber UNKNOWN IMPORTED)
set_target_properties(hotline::phonenumber PROPERTIES
  IMPORTED_LOCATION ${PHONENUMBER_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${PHONENUMBER_INCLUDE_DIR})
