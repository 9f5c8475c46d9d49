build-clang/obj-rel/agent/state.o: agent/state.c agent/state.h

agent/state.h:
