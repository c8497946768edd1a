ip netns exec ovsxbh-dut /work/main/build/tools/bench/ovsx-fastpath-load --port 1=xbd0 --port 2=xbd1 /work/main/bench-results/2026-12-02/host/raw/fp-1000x32.4/flows.txt 
