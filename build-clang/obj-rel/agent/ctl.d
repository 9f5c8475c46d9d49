build-clang/obj-rel/agent/ctl.o: agent/ctl.c agent/../common/log.h \
  agent/ctl.h agent/ctlmsg.h

agent/../common/log.h:

agent/ctl.h:

agent/ctlmsg.h:
