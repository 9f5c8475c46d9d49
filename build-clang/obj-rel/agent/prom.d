build-clang/obj-rel/agent/prom.o: agent/prom.c agent/prom.h

agent/prom.h:
