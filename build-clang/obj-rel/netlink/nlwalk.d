build-clang/obj-rel/netlink/nlwalk.o: netlink/nlwalk.c netlink/nlwalk.h

netlink/nlwalk.h:
