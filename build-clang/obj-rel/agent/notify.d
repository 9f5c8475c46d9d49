build-clang/obj-rel/agent/notify.o: agent/notify.c agent/../common/log.h \
  agent/notify.h

agent/../common/log.h:

agent/notify.h:
