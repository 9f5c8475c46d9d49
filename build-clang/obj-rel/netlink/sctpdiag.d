build-clang/obj-rel/netlink/sctpdiag.o: netlink/sctpdiag.c \
  netlink/../common/log.h netlink/nlwalk.h netlink/sctpdiag.h

netlink/../common/log.h:

netlink/nlwalk.h:

netlink/sctpdiag.h:
