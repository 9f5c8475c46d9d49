build-clang/obj-rel/netlink/addr.o: netlink/addr.c netlink/addr.h

netlink/addr.h:
