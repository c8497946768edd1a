ip netns exec ovsxbh-dut /work/main/build/tools/bench/ovsx-costbench 
