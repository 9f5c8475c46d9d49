build-clang/obj-pic/agent/libasconf.o: agent/libasconf.c agent/asconf.h \
  agent/ctlmsg.h

agent/asconf.h:

agent/ctlmsg.h:
