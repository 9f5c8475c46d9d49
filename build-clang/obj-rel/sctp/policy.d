build-clang/obj-rel/sctp/policy.o: sctp/policy.c sctp/policy.h \
  sctp/../netlink/addrtab.h sctp/../netlink/addr.h sctp/saddr.h

sctp/policy.h:

sctp/../netlink/addrtab.h:

sctp/../netlink/addr.h:

sctp/saddr.h:
