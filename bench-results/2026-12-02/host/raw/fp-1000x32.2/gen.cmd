ip netns exec ovsxbh-gen /work/main/build/tools/bench/ovsx-xdpbench gen --dev xbg0 --seconds 60 --flows 1000 --masks 32  (stopped by SIGTERM when the sink is done)
