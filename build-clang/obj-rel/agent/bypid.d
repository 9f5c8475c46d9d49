build-clang/obj-rel/agent/bypid.o: agent/bypid.c agent/../common/log.h \
  agent/../sctp/registry.h agent/agent.h agent/config.h agent/pidfd.h

agent/../common/log.h:

agent/../sctp/registry.h:

agent/agent.h:

agent/config.h:

agent/pidfd.h:
