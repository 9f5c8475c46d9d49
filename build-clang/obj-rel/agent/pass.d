build-clang/obj-rel/agent/pass.o: agent/pass.c agent/../common/log.h \
  agent/../netlink/addrtab.h agent/../netlink/addr.h \
  agent/../netlink/nlmon.h agent/../sctp/affect.h \
  agent/../sctp/../netlink/addr.h agent/../sctp/saddr.h \
  agent/../sctp/msock.h agent/../sctp/policy.h \
  agent/../sctp/../netlink/addrtab.h agent/../sctp/portowner.h \
  agent/../sctp/portplan.h agent/../sctp/recon.h \
  agent/../sctp/registry.h agent/agent.h agent/config.h agent/hold.h \
  agent/orphan.h

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

agent/../sctp/portowner.h:

agent/../sctp/portplan.h:

agent/../sctp/recon.h:

agent/../sctp/registry.h:

agent/agent.h:

agent/config.h:

agent/hold.h:

agent/orphan.h:
