build-clang/obj-rel/agent/sockview.o: agent/sockview.c \
  agent/../common/procfd.h agent/../common/inoset.h \
  agent/../sctp/msock.h agent/../sctp/saddr.h agent/../sctp/registry.h \
  agent/sockview.h

agent/../common/procfd.h:

agent/../common/inoset.h:

agent/../sctp/msock.h:

agent/../sctp/saddr.h:

agent/../sctp/registry.h:

agent/sockview.h:
