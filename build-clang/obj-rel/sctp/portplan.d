build-clang/obj-rel/sctp/portplan.o: sctp/portplan.c sctp/portplan.h

sctp/portplan.h:
