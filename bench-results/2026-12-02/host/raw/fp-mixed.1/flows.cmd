/work/main/build/tools/bench/ovsx-xdpbench flows --flows 1000 --masks 8 --kernel-pct 30
