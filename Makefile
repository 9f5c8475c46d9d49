# SPDX-License-Identifier: GPL-2.0-or-later
# asconfd: one non-recursive Makefile; everything is built under build/.
#
#   make               daemon, control tool, client library
#   make check         every test tier (installs what it needs first, as root)
#   make check-unit | check-netns | check-vm [SCENARIOS="skeleton listening"]
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
SCTP    := sctp/saddr.c sctp/policy.c sctp/msock.c sctp/recon.c sctp/registry.c sctp/sknetns.c \
	   sctp/peerpath.c
COMMON  := common/log.c
# The daemon's parts; agent/asconfd.c holds main() and is linked on its own.
AGENT   := agent/ctl.c agent/ctlmsg.c agent/orphan.c agent/pass.c agent/manage.c agent/status.c agent/sysctl.c \
	   agent/json.c agent/prom.c agent/sockview.c agent/status_json.c agent/metrics.c agent/check.c
CLIENT  := agent/libasconf.c agent/ctlmsg.c
CORE    := $(NETLINK) $(SCTP) $(COMMON) $(AGENT) agent/libasconf.c
DAEMON_LIBS := -lmnl -lsctp

BINS    := $(B)/bin/asconfd $(B)/bin/asconfctl
LIB     := $(B)/lib/libasconf.so.0
VMTOOLS := $(B)/tests/vm/sctp_peer $(B)/tests/vm/sctp_client $(B)/tests/vm/monotime \
	   $(B)/tests/vm/addr_timed $(B)/tests/vm/asconfd-san $(B)/tests/vm/sockfarm

.PHONY: all deps check check-cli check-unit check-netns check-vm demo fuzz bench-netlink bench-latency bench-sockets clean
all: $(BINS) $(B)/lib/libasconf.so $(B)/include/asconf.h

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
-include $(shell find $(B) -name '*.d' 2>/dev/null)

$(B)/bin/asconfd: $(B)/obj-rel/agent/asconfd.o $(B)/lib/libasconfd-rel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

$(B)/bin/asconfctl: $(B)/obj-rel/agent/asconfctl.o $(B)/lib/libasconfd-rel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(LIB): $(patsubst %.c,$(B)/obj-pic/%.o,$(CLIENT))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libasconf.so.0 -o $@ $^ -lpthread

$(B)/lib/libasconf.so: $(LIB)
	ln -sf libasconf.so.0 $@

$(B)/include/asconf.h: agent/asconf.h
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
$(B)/tests/cli/%: $(B)/obj-san/tests/cli/%.o $(B)/lib/libasconfd-san.a
	@mkdir -p $(@D)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

$(B)/obj-san/tests/netns/test_nlmon.o: CPPFLAGS += $(NL_CFLAGS)
$(B)/tests/netns/test_nlmon: $(B)/obj-san/tests/netns/test_nlmon.o $(B)/lib/libasconfd-san.a
	@mkdir -p $(@D)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(NL_LIBS)

# The daemon as the VM tier runs it: ASan, UBSan, LeakSanitizer.
$(B)/tests/vm/asconfd-san: $(B)/obj-san/agent/asconfd.o $(B)/lib/libasconfd-san.a
	@mkdir -p $(@D)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

$(B)/tests/vm/addr_timed: tests/vm/addr_timed.c
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CPPFLAGS) $(CFLAGS) $(NL_CFLAGS) $(LDFLAGS) -o $@ $< $(NL_LIBS)

$(B)/tests/vm/%: tests/vm/%.c tests/vm/addrlist.h $(LIB) agent/asconf.h
	@mkdir -p $(@D)
	$(CC) $(BASE) $(CPPFLAGS) $(CFLAGS) -Iagent $(LDFLAGS) -o $@ $< -L$(B)/lib -lasconf -lsctp

# --- fuzzing (clang's libFuzzer) --------------------------------------------
FUZZ_SECONDS ?= 600
HDRS := $(wildcard */*.h)
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
$(B)/bench/bench_netlink: $(B)/obj-rel/tests/bench/bench_netlink.o $(B)/lib/libasconfd-rel.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

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
	@$(MAKE) --no-print-directory all $(UNIT) $(UNIT_VG) $(B)/tests/netns/test_nlmon $(CLITOOLS) \
		$(VMTOOLS) $(B)/fuzz/fuzz_netlink $(B)/fuzz/seeds/.done
	@tests/check unit valgrind cli fuzz netns vm

check-unit: deps
	@$(MAKE) --no-print-directory $(UNIT) $(UNIT_VG)
	@tests/check unit valgrind

check-cli: deps
	@$(MAKE) --no-print-directory all $(CLITOOLS)
	@tests/check cli

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
	rm -rf $(B)/bin $(B)/lib $(B)/include $(B)/tests $(B)/fuzz $(B)/bench $(addprefix $(B)/obj-,$(FLAVOURS))
