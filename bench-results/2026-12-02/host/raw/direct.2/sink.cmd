ip netns exec ovsxbh-dut /work/main/build/tools/bench/ovsx-xdpbench sink --dev xbd0 --seconds 3 --warmup 300 --hold 
