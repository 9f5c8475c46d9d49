build-clang/obj-rel/common/procfd.o: common/procfd.c common/procfd.h \
  common/inoset.h

common/procfd.h:

common/inoset.h:
