build-clang/obj-rel/sctp/peerpath.o: sctp/peerpath.c sctp/peerpath.h \
  sctp/saddr.h

sctp/peerpath.h:

sctp/saddr.h:
