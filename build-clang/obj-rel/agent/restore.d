build-clang/obj-rel/agent/restore.o: agent/restore.c \
  agent/../common/log.h agent/../sctp/msock.h agent/../sctp/saddr.h \
  agent/../sctp/policy.h agent/../sctp/../netlink/addrtab.h \
  agent/../sctp/../netlink/addr.h agent/../sctp/registry.h agent/agent.h \
  agent/config.h agent/pidfd.h agent/state.h

agent/../common/log.h:

agent/../sctp/msock.h:

agent/../sctp/saddr.h:

agent/../sctp/policy.h:

agent/../sctp/../netlink/addrtab.h:

agent/../sctp/../netlink/addr.h:

agent/../sctp/registry.h:

agent/agent.h:

agent/config.h:

agent/pidfd.h:

agent/state.h:
