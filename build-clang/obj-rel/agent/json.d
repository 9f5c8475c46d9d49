build-clang/obj-rel/agent/json.o: agent/json.c agent/json.h

agent/json.h:
