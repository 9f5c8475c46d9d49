build-clang/obj-rel/agent/adopt.o: agent/adopt.c agent/../common/log.h \
  agent/../netlink/sctpdiag.h agent/../sctp/msock.h \
  agent/../sctp/saddr.h agent/../sctp/policy.h \
  agent/../sctp/../netlink/addrtab.h agent/../netlink/addr.h \
  agent/../sctp/registry.h agent/adopt.h agent/agent.h agent/config.h \
  agent/../common/inoset.h agent/../common/procfd.h

agent/../common/log.h:

agent/../netlink/sctpdiag.h:

agent/../sctp/msock.h:

agent/../sctp/saddr.h:

agent/../sctp/policy.h:

agent/../sctp/../netlink/addrtab.h:

agent/../netlink/addr.h:

agent/../sctp/registry.h:

agent/adopt.h:

agent/agent.h:

agent/config.h:

agent/../common/inoset.h:

agent/../common/procfd.h:
