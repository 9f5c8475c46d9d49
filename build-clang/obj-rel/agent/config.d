build-clang/obj-rel/agent/config.o: agent/config.c agent/../sctp/policy.h \
  agent/../sctp/../netlink/addrtab.h agent/../sctp/../netlink/addr.h \
  agent/../sctp/saddr.h agent/config.h agent/ctlmsg.h

agent/../sctp/policy.h:

agent/../sctp/../netlink/addrtab.h:

agent/../sctp/../netlink/addr.h:

agent/../sctp/saddr.h:

agent/config.h:

agent/ctlmsg.h:
