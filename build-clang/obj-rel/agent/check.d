build-clang/obj-rel/agent/check.o: agent/check.c agent/../sctp/registry.h \
  agent/agent.h agent/config.h agent/ctl.h agent/sockview.h \
  agent/../sctp/saddr.h

agent/../sctp/registry.h:

agent/agent.h:

agent/config.h:

agent/ctl.h:

agent/sockview.h:

agent/../sctp/saddr.h:
