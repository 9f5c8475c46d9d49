# asconfd: one non-recursive Makefile; everything is built under build/.
#
#   make               daemon, control tool, client library
#   make check         every test tier (installs what it needs first, as root)
#   make check-unit | check-netns | check-vm
#   make demo          boots a VM and shows an address move reaching a peer
#   make fuzz          runs the netlink parser fuzzer (FUZZ_SECONDS=600)
#   make bench-netlink events/s, instructions per event, idle wakeups
#   make bench-latency address change -> peer told: asconfd vs kernel auto_asconf
#   make bench-sockets per-socket cost vs a bare sctp_bindx loop (SOCKETS=1000)

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror
BASE    := -std=gnu11 -D_GNU_SOURCE $(WARN)
B       := build
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Recursive '=': pkg-config runs when a recipe needs it, after install-deps.
NL_CFLAGS = $(shell pkg-config --cflags libnl-route-3.0 2>/dev/null)
NL_LIBS   = $(shell pkg-config --libs libnl-route-3.0 2>/dev/null || echo -lnl-route-3 -lnl-3)

NETLINK := netlink/addr.c netlink/nlparse.c netlink/nlapply.c netlink/addrtab.c netlink/nlmon.c
SCTP    := sctp/saddr.c sctp/policy.c sctp/msock.c sctp/recon.c sctp/registry.c
COMMON  := common/log.c
AGENT   := agent/asconfd.c agent/ctl.c agent/ctlmsg.c agent/orphan.c
HDRS    := $(wildcard */*.h)

BINS    := $(B)/bin/asconfd $(B)/bin/asconfctl
LIB     := $(B)/lib/libasconf.so.0
VMTOOLS := $(B)/tests/vm/sctp_peer $(B)/tests/vm/sctp_client $(B)/tests/vm/monotime \
	   $(B)/tests/vm/addr_timed $(B)/tests/vm/asconfd-san $(B)/tests/vm/sockfarm

.PHONY: all deps check check-unit check-netns check-vm demo fuzz bench-netlink bench-latency bench-sockets clean
all: $(BINS) $(B)/lib/libasconf.so $(B)/include/asconf.h

deps:
	@scripts/install-deps

$(B)/bin/asconfd: $(AGENT) $(NETLINK) $(SCTP) $(COMMON) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CFLAGS) -o $@ $(AGENT) $(NETLINK) $(SCTP) $(COMMON) -lmnl -lsctp

$(B)/bin/asconfctl: agent/asconfctl.c agent/ctlmsg.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CFLAGS) -o $@ agent/asconfctl.c agent/ctlmsg.c

$(LIB): agent/libasconf.c agent/ctlmsg.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CFLAGS) -fPIC -shared -fvisibility=hidden \
		-Wl,-soname,libasconf.so.0 -o $@ agent/libasconf.c agent/ctlmsg.c -lpthread

$(B)/lib/libasconf.so: $(LIB)
	ln -sf libasconf.so.0 $@

$(B)/include/asconf.h: agent/asconf.h
	@mkdir -p $(@D)
	cp $< $@

# --- tests ---------------------------------------------------------------
UNIT := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/test_*.c))

UNIT_SRC := $(NETLINK) $(SCTP) $(COMMON) agent/ctl.c agent/ctlmsg.c agent/libasconf.c agent/orphan.c

$(B)/tests/unit/%: tests/unit/%.c $(UNIT_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE) -O1 -g $(SAN) -o $@ $< $(UNIT_SRC) -lmnl -lsctp -lcmocka -lpthread

# The same unit tests without sanitizers, for valgrind's leak check.
UNIT_VG := $(patsubst tests/unit/%.c,$(B)/tests/unit-vg/%,$(wildcard tests/unit/test_*.c))

$(B)/tests/unit-vg/%: tests/unit/%.c $(UNIT_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE) -O1 -g -o $@ $< $(UNIT_SRC) -lmnl -lsctp -lcmocka -lpthread

$(B)/tests/netns/test_nlmon: tests/netns/test_nlmon.c $(NETLINK) $(SCTP) $(COMMON) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE) -O1 -g $(SAN) $(NL_CFLAGS) -o $@ $< $(NETLINK) $(SCTP) $(COMMON) \
		-lmnl -lsctp -lcmocka $(NL_LIBS)

# The daemon as the VM tier runs it: ASan, UBSan, LeakSanitizer.
$(B)/tests/vm/asconfd-san: $(AGENT) $(NETLINK) $(SCTP) $(COMMON) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE) -O1 -g $(SAN) -o $@ $(AGENT) $(NETLINK) $(SCTP) $(COMMON) -lmnl -lsctp

$(B)/tests/vm/addr_timed: tests/vm/addr_timed.c
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CFLAGS) $(NL_CFLAGS) -o $@ $< $(NL_LIBS)

$(B)/tests/vm/%: tests/vm/%.c tests/vm/addrlist.h $(LIB) agent/asconf.h
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CFLAGS) -Iagent -o $@ $< -L$(B)/lib -lasconf -lsctp

# --- fuzzing (clang's libFuzzer) --------------------------------------------
FUZZ_SECONDS ?= 600
FUZZ_SRC := netlink/nlapply.c netlink/nlparse.c netlink/addrtab.c netlink/addr.c common/log.c

$(B)/fuzz/fuzz_netlink: tests/fuzz/fuzz_netlink.c $(FUZZ_SRC) $(HDRS)
	@mkdir -p $(@D)
	clang $(BASE) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ tests/fuzz/fuzz_netlink.c $(FUZZ_SRC) -lmnl

$(B)/fuzz/mkseeds: tests/fuzz/mkseeds.c
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CFLAGS) -o $@ $< -lmnl

$(B)/fuzz/seeds/.done: $(B)/fuzz/mkseeds
	@mkdir -p $(@D)
	$(B)/fuzz/mkseeds $(@D) && touch $@

fuzz: deps
	@$(MAKE) --no-print-directory $(B)/fuzz/fuzz_netlink $(B)/fuzz/seeds/.done
	@mkdir -p $(B)/fuzz/corpus
	$(B)/fuzz/fuzz_netlink -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		$(B)/fuzz/corpus $(B)/fuzz/seeds tests/fuzz/regressions

# --- benchmarks ----------------------------------------------------------------
$(B)/bench/bench_netlink: tests/bench/bench_netlink.c $(FUZZ_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE) -O2 -g -o $@ tests/bench/bench_netlink.c $(FUZZ_SRC) -lmnl

bench-netlink: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS) $(B)/bench/bench_netlink
	tests/bench/netlink.sh

# Address add/del -> peer's SCTP_PEER_ADDR_CHANGE, asconfd vs the kernel's
# auto_asconf, side by side in one VM run.  ROUNDS=20 by default.
bench-latency: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS)
	tests/vm/run --out $(B)/bench --add tests/vm/lib.sh tests/bench/latency-vm.sh $(or $(ROUNDS),20)

# asconfd's cost per managed socket vs a bare sctp_bindx loop, one VM run.
bench-sockets: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS)
	tests/vm/run --add tests/vm/lib.sh tests/bench/sockets-vm.sh $(or $(SOCKETS),1000) 5
	tests/vm/run --add tests/vm/lib.sh tests/bench/sockets-vm.sh $(or $(SOCKETS),1000) 5 assoc

check: deps
	@$(MAKE) --no-print-directory all $(UNIT) $(UNIT_VG) $(B)/tests/netns/test_nlmon \
		$(VMTOOLS) $(B)/fuzz/fuzz_netlink $(B)/fuzz/seeds/.done
	@tests/check unit valgrind cli fuzz netns vm

check-unit: deps
	@$(MAKE) --no-print-directory $(UNIT) $(UNIT_VG)
	@tests/check unit valgrind

check-netns: deps
	@$(MAKE) --no-print-directory $(B)/tests/netns/test_nlmon
	@tests/check netns

check-vm: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS)
	@tests/check vm

demo: deps
	@$(MAKE) --no-print-directory all $(VMTOOLS)
	tests/vm/run --add tests/vm/lib.sh tests/vm/demo.sh

clean:
	rm -rf $(B)/bin $(B)/lib $(B)/include $(B)/tests $(B)/fuzz
