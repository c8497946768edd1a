# Builds BPF C into an object with clang and turns it into a libbpf skeleton
# header (bpftool gen skeleton), so binaries embed their programs and never
# look for a .o at run time.
find_program(OVSX_CLANG NAMES clang clang-14 REQUIRED)
find_program(OVSX_BPFTOOL NAMES bpftool PATHS /usr/sbin /sbin REQUIRED)
find_program(OVSX_LLVM_STRIP NAMES llvm-strip llvm-strip-14 REQUIRED)

set(OVSX_BPF_GEN_DIR ${CMAKE_BINARY_DIR}/bpf)
file(MAKE_DIRECTORY ${OVSX_BPF_GEN_DIR})

# The multiarch include dir holds <asm/types.h>, which <linux/bpf.h> needs.
execute_process(COMMAND ${CMAKE_C_COMPILER} -print-multiarch
  OUTPUT_VARIABLE OVSX_MULTIARCH OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(NOT OVSX_MULTIARCH)
  set(OVSX_MULTIARCH x86_64-linux-gnu)
endif()

# ovsx_bpf_skeleton(NAME SOURCE): NAME.bpf.o and NAME.skel.h in
# OVSX_BPF_GEN_DIR, and a target NAME_skel to depend on.
function(ovsx_bpf_skeleton name src)
  set(obj ${OVSX_BPF_GEN_DIR}/${name}.bpf.o)
  set(skel ${OVSX_BPF_GEN_DIR}/${name}.skel.h)
  file(GLOB bpf_headers ${CMAKE_SOURCE_DIR}/xdp/*.h ${CMAKE_SOURCE_DIR}/include/*abi*.h)
  add_custom_command(OUTPUT ${obj}
    COMMAND ${OVSX_CLANG} -target bpf -O2 -g -mcpu=v3
            -Wall -Wextra -Werror
            -I${CMAKE_SOURCE_DIR}/include -I${CMAKE_SOURCE_DIR}/xdp
            -I/usr/include/${OVSX_MULTIARCH}
            -c ${CMAKE_SOURCE_DIR}/${src} -o ${obj}.tmp
    # DWARF is not needed at run time; BTF (kept) is.
    COMMAND ${OVSX_LLVM_STRIP} -g ${obj}.tmp -o ${obj}
    COMMAND ${CMAKE_COMMAND} -E rm -f ${obj}.tmp
    DEPENDS ${CMAKE_SOURCE_DIR}/${src} ${bpf_headers}
    COMMENT "BPF ${src}"
    VERBATIM)
  add_custom_command(OUTPUT ${skel}
    COMMAND ${OVSX_BPFTOOL} gen skeleton ${obj} name ${name} > ${skel}.tmp
    COMMAND ${CMAKE_COMMAND} -E rename ${skel}.tmp ${skel}
    DEPENDS ${obj}
    COMMENT "BPF skeleton ${name}"
    VERBATIM)
  add_custom_target(${name}_skel ALL DEPENDS ${skel})
endfunction()
