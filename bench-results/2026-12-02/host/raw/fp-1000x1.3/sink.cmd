ip netns exec ovsxbh-sink /work/main/build/tools/bench/ovsx-xdpbench sink --dev xbs0 --seconds 3 --warmup 300 --hold 
