build-clang/obj-rel/agent/hold.o: agent/hold.c agent/../sctp/saddr.h \
  agent/hold.h

agent/../sctp/saddr.h:

agent/hold.h:
