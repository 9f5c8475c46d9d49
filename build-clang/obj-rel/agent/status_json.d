build-clang/obj-rel/agent/status_json.o: agent/status_json.c \
  agent/../common/log.h agent/../netlink/addrtab.h \
  agent/../netlink/addr.h agent/../netlink/nlmon.h agent/../sctp/msock.h \
  agent/../sctp/saddr.h agent/../sctp/peerpath.h agent/../sctp/policy.h \
  agent/../sctp/../netlink/addrtab.h agent/../sctp/registry.h \
  agent/agent.h agent/config.h agent/ctl.h agent/json.h agent/sockview.h

agent/../common/log.h:

agent/../netlink/addrtab.h:

agent/../netlink/addr.h:

agent/../netlink/nlmon.h:

agent/../sctp/msock.h:

agent/../sctp/saddr.h:

agent/../sctp/peerpath.h:

agent/../sctp/policy.h:

agent/../sctp/../netlink/addrtab.h:

agent/../sctp/registry.h:

agent/agent.h:

agent/config.h:

agent/ctl.h:

agent/json.h:

agent/sockview.h:
