# SPDX-License-Identifier: Apache-2.0
# Script mode: runs PROGRAM with ARGS (a ;-list) and writes its standard output to OUTPUT, failing the
# build when it fails. GZIP=1 also writes OUTPUT.gz the way Debian wants man pages (gzip -9n).
execute_process(COMMAND "${PROGRAM}" ${ARGS} OUTPUT_FILE "${OUTPUT}.tmp" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(REMOVE "${OUTPUT}.tmp")
  message(FATAL_ERROR "${PROGRAM} ${ARGS} failed: ${result}")
endif()
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
if(GZIP)
  execute_process(COMMAND gzip -9n -c "${OUTPUT}" OUTPUT_FILE "${OUTPUT}.gz" RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "gzip ${OUTPUT} failed: ${result}")
  endif()
endif()
