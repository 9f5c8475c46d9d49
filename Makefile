# SPDX-License-Identifier: GPL-2.0-or-later
# asconfd: one non-recursive Makefile; everything is built under build/.
#
#   make               daemon, control tool, client library
#   make check         every test tier (installs what it needs first, as root)
#   make check-unit | check-netns | check-packaging | check-vm [SCENARIOS="skeleton listening"]
#   make check-vm-newest  compare_matrix on the newest kernel apt offers (part of make check)
#   make check-vm-old  boots the committed Linux 3.0.1 image (tests/oldkernel/, docs/old-kernel.md;
#                      part of make check)
#   make old-kernel KSRC=DIR  rebuilds that image from an extracted 3.0.1 tree
#   make install | uninstall [DESTDIR= PREFIX=/usr/local SBINDIR= ...]
#   make dist | deb | rpm    tarball, Debian packages, RPMs (under build/)
#   make demo          boots a VM and shows an address move reaching a peer
#   make fuzz          runs the netlink, sock_diag, config, state file and control request
#                      fuzzers (FUZZ_SECONDS=600 each)
#   make bench-netlink events/s, instructions per event, idle wakeups
#   make bench-pass    CPU time of a pass with nothing to do (outside the VM)
#   make bench-handover SOCKETS=1000 handed over in a burst, first/last peer told
#   make compare       asconfd vs kernel auto_asconf, every scenario, two kernels
#   make compare-check the last make compare against docs/comparison.json, within noise
#   make bench-latency address change -> peer told: asconfd vs kernel auto_asconf
#   make bench-sockets per-socket cost vs a bare sctp_bindx loop (SOCKETS=1000)
#   make bench-scale   1,000 and 10,000 associations vs the kernel, in three shapes
#                      (SHAPES="one-to-many one-to-one 100x100"): build/bench/scale.json
#   make bench-adopt   one adoption scan with SOCKETS=10000 unmanaged sockets
#   make bench         every benchmark above, then one table (build/bench/summary.md)

CC      ?= cc
CFLAGS  ?= -O2 -g
# The version lives in VERSION alone; asconf.h's macros are checked against it
# at compile time (agent/lib/libasconf.c).
VERSION := $(shell cat VERSION)
VPARTS  := $(subst ., ,$(VERSION))
DEFS    := -DASCONF_VERSION='"$(VERSION)"' -DASCONF_BUILD_MAJOR=$(word 1,$(VPARTS)) \
	   -DASCONF_BUILD_MINOR=$(word 2,$(VPARTS)) -DASCONF_BUILD_PATCH=$(word 3,$(VPARTS))
# -Werror in the project's own builds (a git checkout; make check passes it
# too); a distribution build from the tarball (debian/rules, the rpm spec set
# WERROR= as well) must not fail on a newer compiler's new warning.
WERROR  ?= $(if $(wildcard .git),-Werror)
WARN    := -Wall -Wextra $(WERROR)
BASE    := -std=gnu11 -D_GNU_SOURCE $(WARN) $(DEFS)
B       := build
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Recursive '=': pkg-config runs when a recipe needs it, after install-deps.
NL_CFLAGS = $(shell pkg-config --cflags libnl-route-3.0 2>/dev/null)
NL_LIBS   = $(shell pkg-config --libs libnl-route-3.0 2>/dev/null || echo -lnl-route-3 -lnl-3)

NETLINK := \
	netlink/addr.c \
	netlink/addrtab.c \
	netlink/nlapply.c \
	netlink/nlmon.c \
	netlink/nlparse.c \
	netlink/nlwalk.c \
	netlink/sctpdiag.c
SCTP    := \
	sctp/affect.c \
	sctp/msock.c \
	sctp/peerpath.c \
	sctp/policy.c \
	sctp/portowner.c \
	sctp/portplan.c \
	sctp/recon.c \
	sctp/registry.c \
	sctp/saddr.c \
	sctp/sknetns.c
COMMON  := common/log.c common/procfd.c common/inoset.c common/utf8.c common/fdclose.c
# The daemon's parts (agent/daemon/, and the protocol it shares), one a
# line, sorted so additions rarely collide; agent/daemon/asconfd.c holds
# main() and is linked on its own.
AGENT   := \
	agent/daemon/config/config.c \
	agent/daemon/config/reload.c \
	agent/daemon/config/safedir.c \
	agent/daemon/control/bypid.c \
	agent/daemon/control/ctl.c \
	agent/daemon/control/manage.c \
	agent/daemon/owners/adopt.c \
	agent/daemon/owners/orphan.c \
	agent/daemon/owners/owner.c \
	agent/daemon/owners/restore.c \
	agent/daemon/owners/state.c \
	agent/daemon/owners/tracking.c \
	agent/daemon/pass/hold.c \
	agent/daemon/pass/pass.c \
	agent/daemon/pass/sysctl.c \
	agent/daemon/status/check.c \
	agent/daemon/status/json.c \
	agent/daemon/status/metrics.c \
	agent/daemon/status/notify.c \
	agent/daemon/status/prom.c \
	agent/daemon/status/readiness.c \
	agent/daemon/status/sockview.c \
	agent/daemon/status/status.c \
	agent/daemon/status/status_json.c \
	agent/proto/ctlmsg.c \
	agent/proto/narrow.c
CLIENT  := agent/lib/libasconf.c agent/proto/ctlmsg.c agent/proto/narrow.c
CORE    := $(NETLINK) $(SCTP) $(COMMON) $(AGENT) agent/lib/libasconf.c agent/asconfctl/plugin.c
DAEMON_LIBS := -lmnl -lsctp -linih -pthread

BINS    := $(B)/bin/asconfd $(B)/bin/asconfctl $(B)/bin/asconf-run
# libasconf.so.0.MINOR.PATCH, soname libasconf.so.0: the soname changes only
# when the ABI breaks, whatever the project's major version.
SOVERSION := 0
LIBFILE := libasconf.so.$(SOVERSION).$(word 2,$(VPARTS)).$(word 3,$(VPARTS))
LIB     := $(B)/lib/$(LIBFILE)
# asconf-run's LD_PRELOAD shim.  asconf-run takes the one in ../lib next to
# itself (the build tree), else PRELOAD_LIB, where make install puts it.
PRELOAD := $(B)/lib/libasconf-preload.so
VMTOOLS := $(B)/tests/vm/sctp_peer $(B)/tests/vm/sctp_client $(B)/tests/vm/sctp_server $(B)/tests/vm/monotime \
	   $(B)/tests/vm/addr_timed $(B)/tests/vm/asconfd-san $(B)/tests/vm/sockfarm \
	   $(B)/tests/vm/sctp_forker $(B)/tests/vm/diaglist \
	   $(B)/tests/vm/assocfarm $(B)/tests/vm/oldkernel.so \
	   $(B)/tests/vm/notify_listen $(B)/tests/vm/linger_pass $(B)/tests/vm/ctl_flood

.PHONY: all deps check check-cli check-unit check-netns check-vm check-vm-newest check-vm-old old-kernel demo compare compare-check fuzz bench bench-netlink bench-pass bench-handover bench-latency bench-sockets bench-scale bench-adopt bench-profile clean
all: $(BINS) $(B)/lib/libasconf.so $(PRELOAD) $(B)/include/asconf.h $(B)/libasconf.pc

deps:
	@scripts/install-deps

# Every source is compiled once per flavour into build/obj-<flavour>/ and
# archived into one static library that the programs and tests link:
#   rel  the shipped binaries ($(CFLAGS))
#   san  unit tests, the netns tier and the VM tier's daemon (ASan, UBSan)
#   vg   unit tests for valgrind (no sanitizers)
#   pic  libasconf.so
FLAVOURS := rel san vg pic
FL_rel := $(CFLAGS)
FL_san := -O1 -g $(SAN)
FL_vg  := -O1 -g
FL_pic := $(CFLAGS) -fPIC -fvisibility=hidden

define flavour
$(B)/obj-$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(CC) $$(BASE) $$(CPPFLAGS) $$(FL_$(1)) -MMD -MP -c -o $$@ $$<

$(B)/lib/libasconfd-$(1).a: $$(patsubst %.c,$(B)/obj-$(1)/%.o,$$(CORE))
	@mkdir -p $$(@D)
	rm -f $$@ && $$(AR) rcs $$@ $$^
endef
$(foreach f,$(FLAVOURS),$(eval $(call flavour,$(f))))
.SECONDARY:
# Only the objects' dependency files: build/ also holds package trees with
# directories named *.d (sysctl.d...).
-include $(shell find $(B)/obj-* -name '*.d' -type f 2>/dev/null)

$(B)/bin/asconfd: $(B)/obj-rel/agent/daemon/asconfd.o $(B)/lib/libasconfd-rel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

$(B)/bin/asconfctl: $(B)/obj-rel/agent/asconfctl/asconfctl.o $(B)/lib/libasconfd-rel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# The installed shim's path is compiled in; the stamp holds the value, so a
# make with another LIBDIR (make install, make stage) rebuilds asconf-run.
PRELOAD_LIB ?= $(LIBDIR)/asconfd/libasconf-preload.so
$(B)/preload-lib.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(PRELOAD_LIB)' | cmp -s - $@ || echo '$(PRELOAD_LIB)' >$@
$(B)/obj-rel/agent/run/asconf-run.o: CPPFLAGS += -DASCONF_PRELOAD_LIB='"$(PRELOAD_LIB)"'
$(B)/obj-rel/agent/run/asconf-run.o: $(B)/preload-lib.stamp
$(B)/bin/asconf-run: $(B)/obj-rel/agent/run/asconf-run.o $(B)/lib/libasconfd-rel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# Loaded into other programs: no soname, no version, only its wrappers exported.
$(PRELOAD): $(B)/obj-pic/agent/preload/preload.o $(B)/obj-pic/agent/proto/ctlmsg.o \
	    $(B)/obj-pic/agent/proto/narrow.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -o $@ $^ -ldl -lpthread

# The version script exports asconf_* only (ctlmsg stays private).
$(LIB): $(patsubst %.c,$(B)/obj-pic/%.o,$(CLIENT)) agent/lib/libasconf.map
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libasconf.so.$(SOVERSION) \
		-Wl,--version-script=agent/lib/libasconf.map -o $@ $(filter %.o,$^) -lpthread

$(B)/lib/libasconf.so.$(SOVERSION): $(LIB)
	ln -sf $(LIBFILE) $@

$(B)/lib/libasconf.so: $(B)/lib/libasconf.so.$(SOVERSION)
	ln -sf libasconf.so.$(SOVERSION) $@

$(B)/include/asconf.h: agent/lib/asconf.h
	@mkdir -p $(@D)
	cp $< $@

# --- tests ---------------------------------------------------------------
UNIT := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_VG := $(patsubst tests/unit/%.c,$(B)/tests/unit-vg/%,$(wildcard tests/unit/test_*.c))
TEST_LIBS := $(DAEMON_LIBS) -lcmocka -lpthread

$(B)/tests/unit/%: $(B)/obj-san/tests/unit/%.o $(B)/lib/libasconfd-san.a
	@mkdir -p $(@D)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(TEST_LIBS)

# The same unit tests without sanitizers, for valgrind's leak check.
$(B)/tests/unit-vg/%: $(B)/obj-vg/tests/unit/%.o $(B)/lib/libasconfd-vg.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LIBS)

# Helpers of the cli tier (host, no SCTP needed).
CLITOOLS := $(B)/tests/cli/json_echo
OLDTOOLS := $(B)/tests/oldkernel/laddrs
$(B)/tests/cli/%: $(B)/obj-san/tests/cli/%.o $(B)/lib/libasconfd-san.a
	@mkdir -p $(@D)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

# test_preload loads the shim with dlopen; linked in, it would wrap the
# test program itself.
$(B)/obj-san/tests/unit/test_preload.o $(B)/obj-vg/tests/unit/test_preload.o: \
	CPPFLAGS += -DPRELOAD_SO='"$(abspath $(PRELOAD))"'
$(B)/tests/unit/test_preload $(B)/tests/unit-vg/test_preload: | $(PRELOAD)

# Tests of managed sockets on a host that may have no SCTP: UDP sockets
# stand in, and the SCTP calls msock makes go to a model of the kernel's
# sockets (tests/fake/fakesctp.c), linked in with these wrappers.
FAKESCTP_WRAP := -Wl,--wrap=getsockopt,--wrap=setsockopt,--wrap=getsockname,--wrap=fstat \
		 -Wl,--wrap=sctp_getladdrs,--wrap=sctp_freeladdrs,--wrap=sctp_bindx
FAKESCTP_TESTS := test_registry test_reconrun test_handover test_peers_told
$(foreach t,$(FAKESCTP_TESTS),$(B)/tests/unit/$(t)): $(B)/obj-san/tests/fake/fakesctp.o
$(foreach t,$(FAKESCTP_TESTS),$(B)/tests/unit-vg/$(t)): $(B)/obj-vg/tests/fake/fakesctp.o
$(foreach t,$(FAKESCTP_TESTS),$(B)/tests/unit/$(t) $(B)/tests/unit-vg/$(t)): \
	LDFLAGS += $(FAKESCTP_WRAP)
# The ones that run the daemon's own pass: an agent put together as
# asconfd's start-up does (tests/fake/fakeagent.c).
$(B)/tests/unit/test_handover: $(B)/obj-san/tests/fake/fakeagent.o
$(B)/tests/unit-vg/test_handover: $(B)/obj-vg/tests/fake/fakeagent.o

# The config test also parses the shipped packaging/asconfd.conf.
$(B)/obj-san/tests/unit/test_config.o $(B)/obj-vg/tests/unit/test_config.o: CPPFLAGS += -DSRCDIR='"$(CURDIR)"'

$(B)/obj-san/tests/netns/test_nlmon.o: CPPFLAGS += $(NL_CFLAGS)
$(B)/tests/netns/test_nlmon: $(B)/obj-san/tests/netns/test_nlmon.o $(B)/lib/libasconfd-san.a
	@mkdir -p $(@D)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(NL_LIBS)

# The daemon as the VM tier runs it: ASan, UBSan, LeakSanitizer.
$(B)/tests/vm/asconfd-san: $(B)/obj-san/agent/daemon/asconfd.o $(B)/lib/libasconfd-san.a
	@mkdir -p $(@D)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

# A program that never heard of asconfd, for asconf-run: no libasconf.
$(B)/tests/vm/sctp_forker: tests/vm/sctp_forker.c
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(B)/tests/vm/diaglist: $(B)/obj-rel/tests/vm/diaglist.o $(B)/lib/libasconfd-rel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

$(B)/tests/vm/addr_timed: tests/vm/addr_timed.c
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CPPFLAGS) $(CFLAGS) $(NL_CFLAGS) $(LDFLAGS) -o $@ $< $(NL_LIBS)

# make compare's test-only programs (tests/compare/), never installed: N
# associations per process, and the interposer that hides kernel features
# newer than 3.1 from asconfd (the old-kernel profile).
$(B)/tests/vm/assocfarm: tests/compare/assocfarm.c tests/vm/addrlist.h tests/vm/farm.h $(B)/lib/libasconf.so agent/lib/asconf.h
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CPPFLAGS) $(CFLAGS) -Iagent/lib -Itests/vm $(LDFLAGS) -o $@ $< -L$(B)/lib -lasconf -lsctp

$(B)/tests/vm/oldkernel.so: tests/compare/oldkernel.c
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CPPFLAGS) $(CFLAGS) -fPIC -shared $(LDFLAGS) -o $@ $< -ldl

$(B)/tests/vm/%: tests/vm/%.c tests/vm/addrlist.h tests/vm/farm.h tests/vm/peerlog.h $(B)/lib/libasconf.so agent/lib/asconf.h
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CPPFLAGS) $(CFLAGS) -Iagent/lib $(LDFLAGS) -o $@ $< -L$(B)/lib -lasconf -lsctp

# --- fuzzing (clang's libFuzzer) --------------------------------------------
FUZZ_SECONDS ?= 600
HDRS := $(wildcard */*.h agent/*/*.h agent/*/*/*.h)
FUZZ_SRC := netlink/nlwalk.c netlink/nlapply.c netlink/nlparse.c netlink/addrtab.c netlink/addr.c common/log.c

$(B)/fuzz/fuzz_netlink: tests/fuzz/fuzz_netlink.c $(FUZZ_SRC) $(HDRS)
	@mkdir -p $(@D)
	clang $(BASE) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ tests/fuzz/fuzz_netlink.c $(FUZZ_SRC) -lmnl

$(B)/fuzz/fuzz_sctpdiag: tests/fuzz/fuzz_sctpdiag.c netlink/sctpdiag.c netlink/nlwalk.c common/log.c $(HDRS)
	@mkdir -p $(@D)
	clang $(BASE) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ tests/fuzz/fuzz_sctpdiag.c netlink/sctpdiag.c netlink/nlwalk.c common/log.c -lmnl

# The config loader with the command-line overlay, the state file (parse
# and a write/read round trip), the control request path (issue 20).
FUZZ_CC = clang $(BASE) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
$(B)/fuzz/fuzz_config: tests/fuzz/fuzz_config.c agent/daemon/config/config.c sctp/policy.c sctp/saddr.c netlink/addrtab.c netlink/addr.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) -o $@ tests/fuzz/fuzz_config.c agent/daemon/config/config.c sctp/policy.c \
		sctp/saddr.c netlink/addrtab.c netlink/addr.c -linih

$(B)/fuzz/fuzz_state: tests/fuzz/fuzz_state.c agent/daemon/owners/state.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) -o $@ tests/fuzz/fuzz_state.c agent/daemon/owners/state.c

$(B)/fuzz/fuzz_ctl: tests/fuzz/fuzz_ctl.c agent/daemon/control/ctl.c agent/proto/ctlmsg.c common/log.c common/fdclose.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) -o $@ tests/fuzz/fuzz_ctl.c agent/daemon/control/ctl.c agent/proto/ctlmsg.c common/log.c common/fdclose.c -pthread

FUZZ_NEW := $(B)/fuzz/fuzz_config $(B)/fuzz/fuzz_state $(B)/fuzz/fuzz_ctl

$(B)/fuzz/mkseeds: tests/fuzz/mkseeds.c
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CFLAGS) -o $@ $< -lmnl

$(B)/fuzz/seeds/.done: $(B)/fuzz/mkseeds
	@mkdir -p $(@D) $(B)/fuzz/seeds-sctpdiag
	$(B)/fuzz/mkseeds $(@D) $(B)/fuzz/seeds-sctpdiag && touch $@

fuzz: deps
	@$(MAKE) --no-print-directory $(B)/fuzz/fuzz_netlink $(B)/fuzz/fuzz_sctpdiag $(B)/fuzz/seeds/.done
	@mkdir -p $(B)/fuzz/corpus
	@mkdir -p $(B)/fuzz/corpus-sctpdiag
	$(B)/fuzz/fuzz_netlink -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		$(B)/fuzz/corpus $(B)/fuzz/seeds tests/fuzz/regressions
	$(B)/fuzz/fuzz_sctpdiag -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		$(B)/fuzz/corpus-sctpdiag $(B)/fuzz/seeds-sctpdiag
	@$(MAKE) --no-print-directory $(FUZZ_NEW)
	for t in config state ctl; do mkdir -p $(B)/fuzz/corpus-$$t && \
		$(B)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		$(B)/fuzz/corpus-$$t tests/fuzz/seeds-$$t || exit 1; done

# --- benchmarks ----------------------------------------------------------------
$(B)/bench/bench_netlink: $(B)/obj-rel/tests/bench/bench_netlink.o $(B)/lib/libasconfd-rel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

# The CPU cost of a pass with nothing to do, outside the VM: the daemon's
# pass over SOCKETS=1000 sockets and ADDRS=10000 host addresses, the SCTP
# calls replaced at link time by a model of the sockets.
$(B)/bench/bench_pass: $(B)/obj-rel/tests/bench/bench_pass.o $(B)/obj-rel/tests/fake/fakesctp.o \
		      $(B)/obj-rel/tests/fake/fakeagent.o \
		      $(B)/lib/libasconfd-rel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $(FAKESCTP_WRAP) -o $@ $^ $(DAEMON_LIBS)

bench-pass: deps
	@$(MAKE) --no-print-directory $(B)/bench/bench_pass
	@mkdir -p $(B)/bench
	$(B)/bench/bench_pass $(or $(SOCKETS),1000) $(or $(ADDRS),10000) >$(B)/bench/pass.txt; \
		rc=$$?; cat $(B)/bench/pass.txt; exit $$rc

# N sockets with an association each handed over in a burst, then address
# adds: the burst's time, the first and the last peer told (one VM run).
bench-handover: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS) stage
	tests/vm/run --timeout 1800 --mem 1024 --add tests/vm/lib.sh tests/bench/handover-vm.sh \
		$(or $(SOCKETS),1000) $(or $(ROUNDS),3)

bench-netlink: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS) $(B)/bench/bench_netlink stage
	tests/bench/netlink.sh

# Address add/del -> peer's SCTP_PEER_ADDR_CHANGE, asconfd vs the kernel's
# auto_asconf, side by side in one VM run: min, p50, p90, p99, max over
# ROUNDS=50 changes each way (build/bench/latency.json).
bench-latency: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS) stage
	tests/vm/run --out $(B)/bench --add tests/vm/lib.sh tests/bench/latency-vm.sh $(or $(ROUNDS),50)

# asconfd's cost per managed socket vs a bare sctp_bindx loop, one VM run.
# 1,000 and 10,000 associations, held by as many one-to-many sockets, by
# the sockets a one-to-one listener accepted, and by sockets of 100
# associations each (SHAPES): cost per socket vs a bare bindx loop, first
# and last peer told vs the kernel's auto_asconf; for one-to-many also
# flood convergence, memory, idle wakeups -> build/bench/scale.json.
bench-scale: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS) stage
	SHAPES="$(or $(SHAPES),one-to-many one-to-one 100x100)" tests/bench/scale.sh $(or $(SIZES),1000 10000)

bench-sockets: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS) stage
	tests/vm/run --out $(B)/bench --add tests/vm/lib.sh tests/bench/sockets-vm.sh $(or $(SOCKETS),1000) 5
	tests/vm/run --out $(B)/bench --add tests/vm/lib.sh tests/bench/sockets-vm.sh $(or $(SOCKETS),1000) 5 assoc

# Where the time of a pass goes: perf over the whole VM during asconfd's
# passes and during the bare loop, SOCKETS=1000 sockets with an
# association each (ASSOC=no: without), ROUNDS=3; build/bench/profile.txt.
# Not part of make bench (a profile, not a figure against a goal).
bench-profile: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS) stage
	@perf=$$(command -v perf) || { echo "bench-profile: no perf (linux-perf: scripts/install-deps)" >&2; exit 1; }; \
	n=$(or $(SOCKETS),1000); \
	tests/vm/run --out $(B)/bench --mem $$((1024 + n / 5)) --timeout 3000 --add tests/vm/lib.sh \
		--add "$$perf" tests/bench/profile-vm.sh $$n $(or $(ROUNDS),3) $(or $(ASSOC),yes)

# One adoption scan (sock_diag + the walk of /proc) with SOCKETS=10000
# unmanaged SCTP sockets on the host, one VM run.
bench-adopt: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS) stage
	tests/vm/run --out $(B)/bench --timeout 1800 --mem 1024 --add tests/vm/lib.sh tests/bench/adopt-vm.sh $(or $(SOCKETS),10000) $(or $(ROUNDS),5)

# Every benchmark, one after the other (one VM at a time), then one table of
# figures against the goals: build/bench/summary.md.  The parameters are the
# single benchmarks' own, named here so that none leaks into another:
# LATENCY_ROUNDS=50, SCALE_SIZES="1000 10000", SCALE_SHAPES="one-to-many
# one-to-one 100x100", ADOPT_SOCKETS=10000.
# A benchmark that fails does not stop the others; the table says "not run"
# for it and make bench fails at the end.
bench: deps
	rm -f $(B)/bench/*.json $(B)/bench/*.txt $(B)/bench/summary.md
	-@$(MAKE) --no-print-directory bench-netlink
	-@$(MAKE) --no-print-directory bench-pass SOCKETS=1000 ADDRS=10000
	-@$(MAKE) --no-print-directory bench-latency ROUNDS=$(or $(LATENCY_ROUNDS),50)
	-@$(MAKE) --no-print-directory bench-sockets SOCKETS=1000
	-@$(MAKE) --no-print-directory bench-scale SIZES="$(or $(SCALE_SIZES),1000 10000)" \
		SHAPES="$(or $(SCALE_SHAPES),one-to-many one-to-one 100x100)" ROUNDS=3
	-@$(MAKE) --no-print-directory bench-adopt SOCKETS=$(or $(ADOPT_SOCKETS),10000) ROUNDS=5
	BENCH_COMMAND="make bench$(if $(LATENCY_ROUNDS), LATENCY_ROUNDS=$(LATENCY_ROUNDS))$(if $(SCALE_SIZES), SCALE_SIZES=\"$(SCALE_SIZES)\")$(if $(SCALE_SHAPES), SCALE_SHAPES=\"$(SCALE_SHAPES)\")$(if $(ADOPT_SOCKETS), ADOPT_SOCKETS=$(ADOPT_SOCKETS))" \
		tests/bench/summary.sh

# The host benchmarks are built too: bench_pass broke unseen once (a
# header's order), and make bench found out.
check: deps
	@$(MAKE) --no-print-directory WERROR=-Werror all $(UNIT) $(UNIT_VG) $(B)/tests/netns/test_nlmon $(CLITOOLS) \
		$(VMTOOLS) $(B)/fuzz/fuzz_netlink $(B)/fuzz/fuzz_sctpdiag $(B)/fuzz/seeds/.done $(FUZZ_NEW) stage \
		$(B)/bench/bench_pass $(B)/bench/bench_netlink $(OLDTOOLS)
	@tests/check unit valgrind cli fuzz netns packaging vm vm-newest vm-old

check-unit: deps
	@$(MAKE) --no-print-directory WERROR=-Werror $(UNIT) $(UNIT_VG)
	@tests/check unit valgrind

check-cli: deps
	@$(MAKE) --no-print-directory WERROR=-Werror all $(CLITOOLS)
	@tests/check cli

check-netns: deps
	@$(MAKE) --no-print-directory $(B)/tests/netns/test_nlmon
	@tests/check netns

check-vm: deps
	@$(MAKE) --no-print-directory WERROR=-Werror all $(VMTOOLS) stage
	@tests/check vm

# compare_matrix again, booting the newest kernel apt offers (6.12).
check-vm-newest: deps
	@$(MAKE) --no-print-directory WERROR=-Werror all $(VMTOOLS) stage
	@tests/check vm-newest

# The old-kernel tier: a real Linux 3.0.1 (no SCTP_AUTO_ASCONF), the
# committed tests/oldkernel/bzImage-3.0.1, runs tests/oldkernel/scenario.sh
# with the staged daemon (docs/old-kernel.md); about 15-35 s, part of make check.
check-vm-old: deps
	@$(MAKE) --no-print-directory WERROR=-Werror all $(OLDTOOLS) stage
	@tests/check vm-old

$(B)/tests/oldkernel/laddrs: tests/oldkernel/laddrs.c $(B)/lib/libasconf.so agent/lib/asconf.h
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CPPFLAGS) $(CFLAGS) -Iagent/lib $(LDFLAGS) -o $@ $< -L$(B)/lib -lasconf -lsctp

# Rebuilds tests/oldkernel/bzImage-3.0.1 from KSRC, an extracted Linux 3.0.1
# tree (patched in place with tests/oldkernel/linux-3.0.1-gcc12.patch).
# JOBS=1 by default, at nice 19: 755 s here (2 CPUs, shared), 2026-12-08.
old-kernel:
	@test -n "$(KSRC)" || { echo "make old-kernel: KSRC=DIR (an extracted Linux 3.0.1 tree) is required" >&2; exit 2; }
	JOBS=$(or $(JOBS),1) tests/oldkernel/build.sh "$(KSRC)"

demo: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS) stage
	tests/vm/run --add tests/vm/lib.sh tests/vm/demo.sh

# asconfd against the kernel's auto_asconf, scenario by scenario, on
# Debian's kernel and the newest one, plus the old-kernel profile
# (tests/compare/run.sh; ROUNDS=5).  Output: build/compare/.
compare: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS) stage
	tests/compare/run.sh

# Does the last make compare (build/compare/compare.json) match the
# published table (docs/comparison.json) within noise (tests/compare/noise.sh)?
compare-check:
	tests/compare/noise.sh docs/comparison.json $(B)/compare/compare.json

clean:
	rm -rf $(B)/bin $(B)/lib $(B)/include $(B)/tests $(B)/fuzz $(B)/bench $(addprefix $(B)/obj-,$(FLAVOURS)) \
		$(B)/libasconf.pc $(B)/asconfd.service $(B)/asconfd-metrics.service $(B)/preload-lib.stamp $(B)/stage $(B)/dist $(B)/deb $(B)/rpm $(B)/pkgcheck

# --- install, dist, packages (issue 9) --------------------------------------------
# make install [DESTDIR=...] [PREFIX=/usr/local] [SBINDIR=...] ...: every
# directory can be set on its own. The daemon reads /etc/asconfd.conf
# whatever the prefix, so SYSCONFDIR does not follow PREFIX.
PREFIX      ?= /usr/local
SBINDIR     ?= $(PREFIX)/sbin
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
SYSCONFDIR  ?= /etc
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SYSCTLDIR   ?= $(PREFIX)/lib/sysctl.d
MODLOADDIR  ?= $(PREFIX)/lib/modules-load.d
INSTALL     ?= install

MAN1 := $(wildcard docs/*.1)
MAN3 := $(wildcard docs/*.3)
MAN5 := $(wildcard docs/*.5)
MAN8 := $(wildcard docs/*.8)
# Manual pages for each libasconf function: one-line .so links to libasconf(3).
MAN3_LINKS := asconf_manage.3 asconf_release.3 asconf_strerror.3 asconf_bind.3

SUBST = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@SBINDIR@|$(SBINDIR)|g' \
	    -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    -e 's|@VERSION@|$(VERSION)|g'

# Generated on every make: the paths may differ from one make to the next.
.PHONY: FORCE install uninstall stage dist deb rpm check-packaging
$(B)/libasconf.pc: packaging/libasconf.pc.in FORCE
	@mkdir -p $(@D)
	$(SUBST) $< >$@

$(B)/asconfd.service: packaging/asconfd.service.in FORCE
	@mkdir -p $(@D)
	$(SUBST) $< >$@

$(B)/asconfd-metrics.service: packaging/asconfd-metrics.service.in FORCE
	@mkdir -p $(@D)
	$(SUBST) $< >$@

# The operator's /etc/asconfd.conf is never overwritten.
install: all $(B)/asconfd.service $(B)/asconfd-metrics.service
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(SYSCONFDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(SYSCTLDIR) $(DESTDIR)$(MODLOADDIR)
	$(INSTALL) -m 755 $(B)/bin/asconfd $(DESTDIR)$(SBINDIR)/asconfd
	$(INSTALL) -m 755 $(B)/bin/asconfctl $(DESTDIR)$(BINDIR)/asconfctl
	$(INSTALL) -m 755 $(B)/bin/asconf-run $(DESTDIR)$(BINDIR)/asconf-run
	$(INSTALL) -d $(DESTDIR)$(dir $(PRELOAD_LIB)) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 644 $(PRELOAD) $(DESTDIR)$(PRELOAD_LIB)
	$(INSTALL) -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/$(LIBFILE)
	ln -sf $(LIBFILE) $(DESTDIR)$(LIBDIR)/libasconf.so.$(SOVERSION)
	ln -sf libasconf.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libasconf.so
	$(INSTALL) -m 644 $(B)/libasconf.pc $(DESTDIR)$(LIBDIR)/pkgconfig/libasconf.pc
	$(INSTALL) -m 644 agent/lib/asconf.h $(DESTDIR)$(INCLUDEDIR)/asconf.h
	$(INSTALL) -m 644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/
	for m in $(MAN3_LINKS); do echo '.so man3/libasconf.3' >$(DESTDIR)$(MANDIR)/man3/$$m; done
	$(if $(MAN5),$(INSTALL) -d $(DESTDIR)$(MANDIR)/man5 && $(INSTALL) -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/)
	$(INSTALL) -m 644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 644 $(B)/asconfd.service $(DESTDIR)$(UNITDIR)/asconfd.service
	$(INSTALL) -m 644 $(B)/asconfd-metrics.service $(DESTDIR)$(UNITDIR)/asconfd-metrics.service
	$(INSTALL) -m 644 packaging/asconfd-metrics.timer $(DESTDIR)$(UNITDIR)/asconfd-metrics.timer
	$(INSTALL) -m 644 packaging/asconfd.sysusers $(DESTDIR)$(SYSUSERSDIR)/asconfd.conf
	$(INSTALL) -m 644 packaging/asconfd.sysctl $(DESTDIR)$(SYSCTLDIR)/50-asconfd.conf
	$(INSTALL) -m 644 packaging/asconfd.modules-load $(DESTDIR)$(MODLOADDIR)/asconfd.conf
	[ -e $(DESTDIR)$(SYSCONFDIR)/asconfd.conf ] || \
		$(INSTALL) -m 644 packaging/asconfd.conf $(DESTDIR)$(SYSCONFDIR)/asconfd.conf

# Removes what install put there; the config only if the operator left it as shipped.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/asconfd $(DESTDIR)$(BINDIR)/asconfctl \
		$(DESTDIR)$(BINDIR)/asconf-run $(DESTDIR)$(PRELOAD_LIB) \
		$(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1))) \
		$(DESTDIR)$(LIBDIR)/$(LIBFILE) $(DESTDIR)$(LIBDIR)/libasconf.so.$(SOVERSION) \
		$(DESTDIR)$(LIBDIR)/libasconf.so $(DESTDIR)$(LIBDIR)/pkgconfig/libasconf.pc \
		$(DESTDIR)$(INCLUDEDIR)/asconf.h \
		$(addprefix $(DESTDIR)$(MANDIR)/man3/,$(notdir $(MAN3)) $(MAN3_LINKS)) \
		$(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5))) \
		$(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8))) \
		$(DESTDIR)$(UNITDIR)/asconfd.service $(DESTDIR)$(SYSUSERSDIR)/asconfd.conf \
		$(DESTDIR)$(UNITDIR)/asconfd-metrics.service $(DESTDIR)$(UNITDIR)/asconfd-metrics.timer \
		$(DESTDIR)$(SYSCTLDIR)/50-asconfd.conf $(DESTDIR)$(MODLOADDIR)/asconfd.conf
	rmdir $(DESTDIR)$(dir $(PRELOAD_LIB)) 2>/dev/null || true
	if cmp -s packaging/asconfd.conf $(DESTDIR)$(SYSCONFDIR)/asconfd.conf; then \
		rm -f $(DESTDIR)$(SYSCONFDIR)/asconfd.conf; fi

# The tree the VM tier runs (tests/vm/run copies it into the guest), so what
# is tested is what ships. Re-made every time: it must never be stale.
# Debian's library directory, as in the .deb.
stage: all
	rm -rf $(B)/stage
	@$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(B)/stage PREFIX=/usr \
		LIBDIR=/usr/lib/$(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || $(CC) -print-multiarch)

# The release tarball: the files git tracks, as they are in the work tree
# (uncommitted edits included, so make check tests what is there).
DIST := $(B)/dist/asconfd-$(VERSION).tar.gz
dist:
	@git rev-parse --git-dir >/dev/null 2>&1 || { echo "make dist: needs the git repository" >&2; exit 1; }
	@mkdir -p $(B)/dist
	git ls-files -z | tar --null -T - --transform 's|^|asconfd-$(VERSION)/|' \
		--sort=name --owner=0 --group=0 --numeric-owner --mode=u+w,go-w \
		--mtime='@$(shell git log -1 --format=%ct)' -czf $(DIST)
	@echo "make dist: $(DIST)"

# dpkg-buildpackage in build/deb/asconfd-VERSION/ from the tarball, with
# packaging/debian as debian/: the .debs land in build/deb/.
deb: dist
	rm -rf $(B)/deb && mkdir -p $(B)/deb
	ln -s ../dist/asconfd-$(VERSION).tar.gz $(B)/deb/asconfd_$(VERSION).orig.tar.gz
	tar -xzf $(DIST) -C $(B)/deb
	cp -r packaging/debian $(B)/deb/asconfd-$(VERSION)/debian
	cd $(B)/deb/asconfd-$(VERSION) && dpkg-buildpackage -us -uc -b

# rpmbuild from the same tarball; Debian's rpm has no rpm database of build
# dependencies, hence --nodeps. The .rpms land in build/rpm/RPMS/.
rpm: dist
	rm -rf $(B)/rpm && mkdir -p $(B)/rpm/SOURCES
	cp $(DIST) $(B)/rpm/SOURCES/
	rpmbuild -bb --nodeps --define '_topdir $(CURDIR)/$(B)/rpm' packaging/rpm/asconfd.spec

check-packaging: deps
	@$(MAKE) --no-print-directory WERROR=-Werror all
	@tests/check packaging

# A new VERSION rebuilds what prints or checks it.
$(foreach f,$(FLAVOURS),$(patsubst %.c,$(B)/obj-$(f)/%.o,agent/daemon/asconfd.c agent/asconfctl/asconfctl.c agent/daemon/status/status.c agent/lib/libasconf.c agent/run/asconf-run.c)): VERSION
