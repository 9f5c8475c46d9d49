build-clang/obj-rel/agent/orphan.o: agent/orphan.c \
  agent/../common/inoset.h agent/../common/procfd.h agent/orphan.h

agent/../common/inoset.h:

agent/../common/procfd.h:

agent/orphan.h:
