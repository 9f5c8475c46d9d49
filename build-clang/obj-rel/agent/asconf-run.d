build-clang/obj-rel/agent/asconf-run.o: agent/asconf-run.c agent/agent.h \
  agent/config.h agent/ctlmsg.h

agent/agent.h:

agent/config.h:

agent/ctlmsg.h:
