build-clang/obj-rel/sctp/portowner.o: sctp/portowner.c \
  sctp/../common/procfd.h sctp/../common/inoset.h sctp/portowner.h \
  sctp/saddr.h

sctp/../common/procfd.h:

sctp/../common/inoset.h:

sctp/portowner.h:

sctp/saddr.h:
