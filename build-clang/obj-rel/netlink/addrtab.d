build-clang/obj-rel/netlink/addrtab.o: netlink/addrtab.c \
  netlink/addrtab.h netlink/addr.h

netlink/addrtab.h:

netlink/addr.h:
