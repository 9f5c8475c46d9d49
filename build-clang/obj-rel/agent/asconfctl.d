build-clang/obj-rel/agent/asconfctl.o: agent/asconfctl.c agent/agent.h \
  agent/config.h agent/ctlmsg.h

agent/agent.h:

agent/config.h:

agent/ctlmsg.h:
