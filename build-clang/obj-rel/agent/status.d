build-clang/obj-rel/agent/status.o: agent/status.c \
  agent/../netlink/addrtab.h agent/../netlink/addr.h \
  agent/../netlink/nlmon.h agent/../sctp/msock.h agent/../sctp/saddr.h \
  agent/../sctp/policy.h agent/../sctp/../netlink/addrtab.h \
  agent/../sctp/registry.h agent/adopt.h agent/agent.h agent/config.h \
  agent/ctl.h agent/ctlmsg.h

agent/../netlink/addrtab.h:

agent/../netlink/addr.h:

agent/../netlink/nlmon.h:

agent/../sctp/msock.h:

agent/../sctp/saddr.h:

agent/../sctp/policy.h:

agent/../sctp/../netlink/addrtab.h:

agent/../sctp/registry.h:

agent/adopt.h:

agent/agent.h:

agent/config.h:

agent/ctl.h:

agent/ctlmsg.h:
