build-clang/obj-rel/sctp/recon.o: sctp/recon.c sctp/../common/log.h \
  sctp/msock.h sctp/saddr.h sctp/recon.h

sctp/../common/log.h:

sctp/msock.h:

sctp/saddr.h:

sctp/recon.h:
