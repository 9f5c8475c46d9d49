build-clang/obj-rel/sctp/registry.o: sctp/registry.c sctp/msock.h \
  sctp/saddr.h sctp/registry.h

sctp/msock.h:

sctp/saddr.h:

sctp/registry.h:
