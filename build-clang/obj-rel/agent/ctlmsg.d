build-clang/obj-rel/agent/ctlmsg.o: agent/ctlmsg.c agent/ctlmsg.h

agent/ctlmsg.h:
