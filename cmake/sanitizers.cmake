# SPDX-License-Identifier: Apache-2.0
# ASan + UBSan for the whole build when CXRCAT_SANITIZE is on.
if(CXRCAT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
