build-clang/obj-rel/agent/sysctl.o: agent/sysctl.c agent/agent.h \
  agent/config.h

agent/agent.h:

agent/config.h:
