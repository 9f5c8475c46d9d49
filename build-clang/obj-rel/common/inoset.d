build-clang/obj-rel/common/inoset.o: common/inoset.c common/inoset.h

common/inoset.h:
