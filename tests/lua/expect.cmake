# expect.cmake — runs a command and checks its exit code and output.
#   cmake -DCMD="prog|arg|arg" -DCODE=65 [-DERR_REGEX=...] [-DOUT_REGEX=...] [-DWD=dir]
#         [-DFRESH=db] -P expect.cmake
# CMD separates arguments with "|" (a CMake list would be split by add_test).
# FRESH names a database removed first, so the command starts without one.
string(REPLACE "|" ";" cmd "${CMD}")
if(NOT DEFINED WD)
  set(WD ".")
endif()
if(DEFINED FRESH)
  file(REMOVE "${FRESH}" "${FRESH}-wal" "${FRESH}-shm")
endif()
execute_process(COMMAND ${cmd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                WORKING_DIRECTORY "${WD}")
if(NOT "${rc}" STREQUAL "${CODE}")
  message(FATAL_ERROR "exit status ${rc}, expected ${CODE}\n--- stdout\n${out}\n--- stderr\n${err}")
endif()
if(DEFINED ERR_REGEX AND NOT err MATCHES "${ERR_REGEX}")
  message(FATAL_ERROR "stderr does not match '${ERR_REGEX}'\n--- stderr\n${err}")
endif()
if(DEFINED OUT_REGEX AND NOT out MATCHES "${OUT_REGEX}")
  message(FATAL_ERROR "stdout does not match '${OUT_REGEX}'\n--- stdout\n${out}")
endif()
