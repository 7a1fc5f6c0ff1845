# Warnings for everything we compile; plugins also get hidden visibility from rdk_add_plugin().
add_compile_options(-Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(RDK_WERROR)
  add_compile_options(-Werror)
endif()
# RDK_SANITIZE (top-level CMakeLists.txt): "thread" is TSan, any other true value ASan+UBSan.
if(RDK_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(RDK_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
