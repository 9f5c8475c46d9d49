build-clang/obj-rel/netlink/nlparse.o: netlink/nlparse.c \
  netlink/nlparse.h netlink/addr.h

netlink/nlparse.h:

netlink/addr.h:
