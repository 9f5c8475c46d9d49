build-clang/obj-rel/agent/asconfd.o: agent/asconfd.c \
  agent/../common/log.h agent/../netlink/addrtab.h \
  agent/../netlink/addr.h agent/../netlink/nlmon.h \
  agent/../sctp/affect.h agent/../sctp/../netlink/addr.h \
  agent/../sctp/saddr.h agent/../sctp/msock.h agent/../sctp/policy.h \
  agent/../sctp/../netlink/addrtab.h agent/../sctp/recon.h \
  agent/../sctp/registry.h agent/ctl.h agent/ctlmsg.h agent/adopt.h \
  agent/agent.h agent/config.h agent/owner.h agent/notify.h agent/hold.h

agent/../common/log.h:

agent/../netlink/addrtab.h:

agent/../netlink/addr.h:

agent/../netlink/nlmon.h:

agent/../sctp/affect.h:

agent/../sctp/../netlink/addr.h:

agent/../sctp/saddr.h:

agent/../sctp/msock.h:

agent/../sctp/policy.h:

agent/../sctp/../netlink/addrtab.h:

agent/../sctp/recon.h:

agent/../sctp/registry.h:

agent/ctl.h:

agent/ctlmsg.h:

agent/adopt.h:

agent/agent.h:

agent/config.h:

agent/owner.h:

agent/notify.h:

agent/hold.h:
