build-clang/obj-pic/agent/preload.o: agent/preload.c agent/ctlmsg.h

agent/ctlmsg.h:
