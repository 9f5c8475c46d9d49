build-clang/obj-pic/agent/ctlmsg.o: agent/ctlmsg.c agent/ctlmsg.h

agent/ctlmsg.h:
