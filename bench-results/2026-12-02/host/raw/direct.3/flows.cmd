/work/main/build/tools/bench/ovsx-xdpbench flows --flows 1 --masks 1
