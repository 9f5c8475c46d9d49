build-clang/obj-rel/netlink/nlapply.o: netlink/nlapply.c \
  netlink/nlapply.h netlink/../common/log.h netlink/addrtab.h \
  netlink/addr.h netlink/nlparse.h netlink/nlwalk.h

netlink/nlapply.h:

netlink/../common/log.h:

netlink/addrtab.h:

netlink/addr.h:

netlink/nlparse.h:

netlink/nlwalk.h:
