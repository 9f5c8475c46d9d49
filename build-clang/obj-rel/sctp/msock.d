build-clang/obj-rel/sctp/msock.o: sctp/msock.c sctp/../common/log.h \
  sctp/msock.h sctp/saddr.h sctp/sknetns.h

sctp/../common/log.h:

sctp/msock.h:

sctp/saddr.h:

sctp/sknetns.h:
