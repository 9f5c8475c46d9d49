build-clang/obj-rel/agent/readiness.o: agent/readiness.c \
  agent/../common/log.h agent/../netlink/addrtab.h \
  agent/../netlink/addr.h agent/../sctp/msock.h agent/../sctp/saddr.h \
  agent/../sctp/policy.h agent/../sctp/../netlink/addrtab.h \
  agent/../sctp/registry.h agent/agent.h agent/config.h agent/notify.h

agent/../common/log.h:

agent/../netlink/addrtab.h:

agent/../netlink/addr.h:

agent/../sctp/msock.h:

agent/../sctp/saddr.h:

agent/../sctp/policy.h:

agent/../sctp/../netlink/addrtab.h:

agent/../sctp/registry.h:

agent/agent.h:

agent/config.h:

agent/notify.h:
