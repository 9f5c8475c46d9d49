build-clang/obj-rel/agent/owner.o: agent/owner.c agent/../common/log.h \
  agent/owner.h agent/pidfd.h

agent/../common/log.h:

agent/owner.h:

agent/pidfd.h:
