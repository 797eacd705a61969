# embed.cmake — writes the bytes of IN as a NUL-terminated C array NAME into OUT.
#   cmake -DIN=docs/lua-api.md -DOUT=lua_api_doc.c -DNAME=ot_l_lua_api_doc -P embed.cmake
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "/* generated from ${IN} by embed.cmake; do not edit */\n"
                    "const unsigned char ${NAME}[] = {\n${bytes}0x00};\n")
