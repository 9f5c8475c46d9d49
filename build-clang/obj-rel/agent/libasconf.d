build-clang/obj-rel/agent/libasconf.o: agent/libasconf.c agent/asconf.h \
  agent/ctlmsg.h

agent/asconf.h:

agent/ctlmsg.h:
