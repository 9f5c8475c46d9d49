build-clang/obj-rel/sctp/affect.o: sctp/affect.c sctp/affect.h \
  sctp/../netlink/addr.h sctp/saddr.h sctp/policy.h \
  sctp/../netlink/addrtab.h

sctp/affect.h:

sctp/../netlink/addr.h:

sctp/saddr.h:

sctp/policy.h:

sctp/../netlink/addrtab.h:
