build-clang/obj-rel/sctp/saddr.o: sctp/saddr.c sctp/saddr.h

sctp/saddr.h:
