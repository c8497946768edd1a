ip netns exec ovsxbh-gen /work/main/build/tools/bench/ovsx-xdpbench gen --dev xbg0 --seconds 60 --flows 1 --masks 1  (stopped by SIGTERM when the sink is done)
