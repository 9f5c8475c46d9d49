build-clang/obj-rel/netlink/nlmon.o: netlink/nlmon.c \
  netlink/../common/log.h netlink/nlmon.h netlink/addrtab.h \
  netlink/addr.h netlink/nlapply.h

netlink/../common/log.h:

netlink/nlmon.h:

netlink/addrtab.h:

netlink/addr.h:

netlink/nlapply.h:
