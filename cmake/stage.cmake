# ovsx_stage(NAME SOURCES src... DEPS dep...): one pipeline stage as a static
# library.  Its public headers are the ones in the stage's include/ folder,
# the only folder its dependents see; private headers sit beside its .c
# files, where nothing else can reach them.  Dependents see a stage's own
# include/ and those of the stages below it, never above: an #include that
# reaches up a stage does not compile.
#
# Every public header is also compiled on its own against the stage's own
# include path (target NAME_headers), so each header is self-contained and
# includes nothing from a stage above.
function(ovsx_stage name)
  cmake_parse_arguments(S "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${S_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(${name} PUBLIC ${S_DEPS})

  file(GLOB headers CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/include/*.h)
  set(checks)
  foreach(h ${headers})
    get_filename_component(base ${h} NAME_WE)
    set(tu ${CMAKE_CURRENT_BINARY_DIR}/header-check/${base}.c)
    file(WRITE ${tu}.new "#include \"${base}.h\"\n")
    file(COPY_FILE ${tu}.new ${tu} ONLY_IF_DIFFERENT)
    list(APPEND checks ${tu})
  endforeach()
  if(checks)
    add_library(${name}_headers OBJECT ${checks})
    target_link_libraries(${name}_headers PRIVATE ${name})
  endif()
endfunction()
