build-clang/obj-rel/sctp/sknetns.o: sctp/sknetns.c sctp/sknetns.h

sctp/sknetns.h:
