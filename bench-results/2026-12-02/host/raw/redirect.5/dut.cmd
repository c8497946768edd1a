ip netns exec ovsxbh-dut /work/main/build/tools/bench/ovsx-xdpbench redirect --from xbd0 --to xbd1 
