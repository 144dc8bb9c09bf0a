# SPDX-License-Identifier: GPL-2.0-or-later
# netsup - several networking stacks for one program
#
#   make            build everything under build/
#   make check      install the Debian packages needed, build, run every test
#   make demo       two namespace stacks, unmodified programs in each
#   make install    PREFIX=/usr/local DESTDIR=  (and make uninstall)
#   make install-strip  the same, stripped, the debug info kept apart
#                   in $(debugdir)/.build-id/ as Debian's dh_strip does
#   make check SAN=1   the same with ASan and UBSan
#   make lint       cppcheck and clang-tidy
#   make WERROR=0   warnings are not errors (for packagers' compilers)

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
bindir     ?= $(PREFIX)/bin
libdir     ?= $(PREFIX)/lib
includedir ?= $(PREFIX)/include
mandir     ?= $(PREFIX)/share/man
pkgconfigdir ?= $(libdir)/pkgconfig
datadir    ?= $(PREFIX)/share
bashcompdir ?= $(datadir)/bash-completion/completions
zshcompdir ?= $(datadir)/zsh/site-functions
# systemd's search path has /usr/local/lib/systemd/system and /usr/lib/...
systemdunitdir ?= $(PREFIX)/lib/systemd/system
# the units read /etc/netsup/NAME.conf, whatever the PREFIX
sysconfdir ?= /etc
debugdir   ?= $(PREFIX)/lib/debug
LDCONFIG   ?= ldconfig
STRIP      ?= strip

CC      ?= gcc
OBJCOPY ?= objcopy
B       := build
SOMAJOR := 1

WERROR  ?= 1
WARN    := -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -Wmissing-prototypes -Wshadow -Wformat=2
# each object's header dependencies, written beside it (build/**/*.d)
DEPFLAGS = -MMD -MP
HARDEN  := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
OPT     := -O2 -g
ifeq ($(SAN),1)
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
           -fno-sanitize-recover=undefined
HARDEN  := -fstack-protector-strong -fPIE
SANLD   := -fsanitize=address,undefined
endif
CFLAGS  ?=
CPPFLAGS += -DNETSUP_VERSION=\"$(VERSION)\"
ALLCFLAGS = -std=gnu11 $(WARN) $(OPT) $(HARDEN) $(CFLAGS)
LDFLAGS_BIN = -pie -Wl,-z,relro,-z,now $(SANLD) $(LDFLAGS)

# the logger of the three programs (libmsocket does not log)
LOG_SRC   := common/log.c common/logsyslog.c
STACK_SRC := stacks/stack.c stacks/netns.c common/fdpass.c stacks/userspace.c stacks/stackproto.c stacks/userstack.c common/procstat.c common/thread.c
SUP_SRC   := supervisor/main.c supervisor/options.c supervisor/proctitle.c supervisor/errset.c supervisor/defer.c supervisor/stray.c \
             supervisor/launch.c supervisor/filter.c supervisor/notify.c supervisor/create.c supervisor/msockcall.c \
             supervisor/creds.c supervisor/childmem.c supervisor/proc.c supervisor/procevents.c supervisor/view.c \
             supervisor/pathres.c supervisor/policy.c supervisor/credcache.c \
             supervisor/supervisor.c supervisor/ifioctl.c supervisor/ustack.c \
             supervisor/ucall.c supervisor/ucmsg.c supervisor/uiface.c supervisor/usernet.c supervisor/publish.c supervisor/route.c \
             supervisor/ucall_table.c supervisor/ucall_conn.c supervisor/ucall_dgram.c \
             supervisor/unborn.c supervisor/unbornmake.c \
             supervisor/move.c supervisor/movepub.c supervisor/moveopt.c supervisor/moverec.c supervisor/movefd.c supervisor/request.c supervisor/receive.c common/lwlaunch.c
SUP_OBJ   := $(patsubst %.c,$(B)/%.o,$(SUP_SRC) $(STACK_SRC) $(LOG_SRC))

SHIM_SRC  := shim/msocket.c $(STACK_SRC)
SHIM_OBJ  := $(patsubst %.c,$(B)/pic/%.o,$(SHIM_SRC))
SHLIB     := libmsocket.so.$(SOMAJOR).0.0

BENCH_SRC := $(wildcard tests/bench/*.c)
BENCH     := $(patsubst tests/bench/%.c,$(B)/bench/%,$(BENCH_SRC))

PROGS_SRC := $(wildcard tests/progs/*.c)
PROGS     := $(patsubst tests/progs/%.c,$(B)/tests/%,$(PROGS_SRC))
MSOCK_PROGS := $(B)/tests/msock $(B)/tests/pathrace
# uring_socket needs liburing's header, which make deps' build group lacks:
# without it make builds all the rest, and the tests that run it skip
HAVE_LIBURING ?= $(shell printf '\043include <liburing.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 && echo 1)
ifneq ($(HAVE_LIBURING),1)
PROGS     := $(filter-out $(B)/tests/uring_socket,$(PROGS))
endif

# what make install installs: no test helper (uring_socket needs liburing)
PRODUCTS  := $(B)/netsup $(B)/netsup-stack $(B)/netsup-lwip $(B)/lib/$(SHLIB) \
	     $(B)/lib/libmsocket.a

all: $(PRODUCTS) $(PROGS) $(B)/nsrelay

$(B)/%.o: %.c $(B)/%.d
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) $(DEPFLAGS) -c -o $@ $<

$(B)/netsup: $(SUP_OBJ)
	$(CC) -o $@ $^ $(LDFLAGS_BIN) -lseccomp -lcap -lpthread

TOOL_SRC  := stacks/tool/netsup-stack.c stacks/tool/netsup-stack-msg.c stacks/tool/netsup-stack-kind.c common/lwlaunch.c \
             stacks/tool/netsup-stack-name.c stacks/tool/netsup-stack-netns.c \
             stacks/tool/netsup-stack-del.c stacks/tool/netsup-stack-info.c \
             stacks/tool/netsup-stack-lwip.c stacks/tool/netsup-stack-lwip-info.c \
             stacks/tool/netsup-stack-lwip-daemon.c stacks/tool/netsup-stack-user.c \
             stacks/tool/netsup-stack-user-add.c stacks/tool/netsup-stack-user-open.c \
             stacks/tool/netsup-stack-identify.c stacks/tool/stackps.c \
             stacks/tool/stackps-proc.c stacks/tool/stackps-sup.c \
             stacks/tool/stackps-print.c stacks/tool/unixdiag.c stacks/tool/json.c

TOOL_OBJ  := $(patsubst %.c,$(B)/%.o,$(TOOL_SRC) $(STACK_SRC) $(LOG_SRC))

$(B)/netsup-stack: $(TOOL_OBJ)
	$(CC) -o $@ $^ $(LDFLAGS_BIN) -lpthread

# netsup-lwip: the lwIP stack daemon (liblwip-dev, libvdeplug-dev).  With
# SAN=1 it gets UBSan only: libvdeplug dlopen()s its plugins with
# RTLD_DEEPBIND, which ASan refuses.
LWIP_SRC  := $(wildcard stacks/lwip/*.c) stacks/stackproto.c common/fdpass.c $(LOG_SRC)
LWIP_OBJ  := $(patsubst %.c,$(B)/lwip-obj/%.o,$(LWIP_SRC))
LWIP_INC  := $(shell pkg-config --cflags lwip 2>/dev/null || echo -I/usr/include/lwip)
LWIP_OPT  := $(if $(filter 1,$(SAN)),-O1 -g -fno-omit-frame-pointer -fsanitize=undefined -fno-sanitize-recover=undefined,-O2 -g)

$(B)/lwip-obj/%.o: %.c $(B)/lwip-obj/%.d
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(LWIP_INC) -std=gnu11 $(WARN) $(LWIP_OPT) $(HARDEN) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(B)/netsup-lwip: $(LWIP_OBJ)
	$(CC) -o $@ $^ -pie -Wl,-z,relro,-z,now $(if $(filter 1,$(SAN)),-fsanitize=undefined) $(LDFLAGS) -llwip -lvdeplug -lpthread

# libmsocket exports msocket() only.
$(B)/pic/%.o: %.c $(B)/pic/%.d
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) $(DEPFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(B)/lib/$(SHLIB): $(SHIM_OBJ)
	@mkdir -p $(dir $@)
	$(CC) -shared -Wl,-soname,libmsocket.so.$(SOMAJOR) -Wl,-z,relro,-z,now \
	  $(SANLD) -o $@ $^ -lpthread
	ln -sf $(SHLIB) $(B)/lib/libmsocket.so.$(SOMAJOR)
	ln -sf $(SHLIB) $(B)/lib/libmsocket.so

# One relocatable object whose hidden symbols (the stack_* internals) are
# made local: a program linked statically sees msocket() only, and its own
# stack_open() or netns_from_fd() cannot clash with ours.
$(B)/lib/libmsocket.a: $(SHIM_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ $(B)/pic/libmsocket.o
	$(CC) -r -nostdlib -o $(B)/pic/libmsocket.o $^
	$(OBJCOPY) --localize-hidden $(B)/pic/libmsocket.o
	ar rcs $@ $(B)/pic/libmsocket.o

# Example: a TCP relay between two stacks, two msocket() calls.
$(B)/nsrelay: examples/nsrelay.c shim/msocket.h $(B)/lib/$(SHLIB)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -Ishim -o $@ $< $(LDFLAGS_BIN) \
	  -L$(B)/lib -lmsocket -Wl,-rpath,'$$ORIGIN/lib'

# Test helper programs: each makes exactly the system calls a test needs.
$(B)/tests/%: tests/progs/%.c tests/progs/progs.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -g $(SANLD) -o $@ $< -lpthread

$(MSOCK_PROGS): $(B)/tests/%: tests/progs/%.c tests/progs/progs.h $(B)/lib/$(SHLIB)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -g $(SANLD) -Ishim -o $@ $< \
	  -L$(B)/lib -lmsocket -Wl,-rpath,'$$ORIGIN/../lib' -lpthread

$(B)/tests/uring_socket: tests/progs/uring_socket.c tests/progs/progs.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -g $(SANLD) -o $@ $< -luring

# The stack protocol's test client and fake daemons link the protocol code.
$(B)/tests/stackcli $(B)/tests/fakestack: $(B)/tests/%: tests/progs/%.c tests/progs/progs.h stacks/stackproto.c common/fdpass.c stacks/stackproto.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -g $(SANLD) -o $@ $(filter %.c,$^)

# Linked statically, without the sanitizers: nothing may depend on libc.
$(B)/tests/static_socket: tests/progs/static_socket.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -static -o $@ $<

# Unit tests (tests/unit/): no root, no namespaces.  Each program links
# the supervisor's objects but main.o; make unit runs them alone.
UNIT_SRC  := $(wildcard tests/unit/*_test.c)
UNIT      := $(patsubst tests/unit/%.c,$(B)/unit/%,$(UNIT_SRC))
UNIT_OBJ  := $(filter-out $(B)/supervisor/main.o,$(SUP_OBJ))

$(B)/unit/%: tests/unit/%.c tests/unit/unit.h $(UNIT_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -Isupervisor -Istacks -o $@ $< $(UNIT_OBJ) \
	  $(LDFLAGS_BIN) -lseccomp -lcap -lpthread

unit: $(UNIT)
	@tests/unit/run.sh $(B)

$(B)/bench/%: tests/bench/%.c tests/bench/bench.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -g -o $@ $< -lpthread

# libFuzzer targets (clang): make fuzz runs each FUZZ_SECS; crashes are
# kept in tests/fuzz/regress/ and replayed by make check.
FUZZ_CC    := clang
FUZZ_FLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -DNETSUP_VERSION=\"$(VERSION)\"
FUZZ       := $(B)/fuzz/fuzz_options $(B)/fuzz/fuzz_stackspec $(B)/fuzz/fuzz_procparse $(B)/fuzz/fuzz_stackproto $(B)/fuzz/fuzz_nlmsg
FUZZ_SECS  ?= 60

$(B)/fuzz/fuzz_options: tests/fuzz/fuzz_options.c supervisor/options.c supervisor/route.c supervisor/usernet.c supervisor/publish.c common/lwlaunch.c $(LOG_SRC) stacks/stack.c stacks/netns.c stacks/userspace.c stacks/stackproto.c common/fdpass.c stacks/userstack.c common/procstat.c common/thread.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^

$(B)/fuzz/fuzz_stackspec: tests/fuzz/fuzz_stackspec.c stacks/stack.c stacks/netns.c stacks/userspace.c stacks/stackproto.c common/fdpass.c stacks/userstack.c common/procstat.c common/thread.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^

$(B)/fuzz/fuzz_procparse: tests/fuzz/fuzz_procparse.c supervisor/creds.c supervisor/proc.c supervisor/procevents.c \
		supervisor/credcache.c $(LOG_SRC) stacks/stack.c stacks/netns.c stacks/userspace.c stacks/stackproto.c common/fdpass.c stacks/userstack.c common/procstat.c common/thread.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ -lcap -lpthread

$(B)/fuzz/fuzz_stackproto: tests/fuzz/fuzz_stackproto.c stacks/stackproto.c common/fdpass.c stacks/stackproto.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(filter %.c,$^)

$(B)/fuzz/fuzz_nlmsg: tests/fuzz/fuzz_nlmsg.c stacks/lwip/nlmsg.c stacks/lwip/nlmsg.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(filter %.c,$^)

# The long stress runs (tests/50-stress.bats with STRESS=1).
stress: deps all
	@STRESS=1 tests/run.sh $(B) tests/50-stress.bats

# about 10 minutes of mixed load; the supervisor's memory must stay flat
SOAK_SECS ?= 600
soak: deps all
	@tests/soak.sh $(B) $(SOAK_SECS)

# memcheck over what valgrind can run (see tests/valgrind.sh)
valgrind: deps all
	@tests/valgrind.sh $(B)

fuzz: deps $(FUZZ)
	@tests/fuzz/run.sh $(B) $(FUZZ_SECS)

deps:
	@tests/deps.sh

# Benchmarks: one table on stdout and in BENCH.md.  BENCH_REPS=5.
bench: deps all $(BENCH)
	@tests/bench/bench.sh $(B) BENCH.md

# CPython's own tests under ip netns exec, a kernel stack and netsup-lwip,
# side by side (tests/pysuite.sh; PYSUITE_MODULES to choose)
pysuite: deps all
	@tests/pysuite.sh $(B) $(PYSUITE_MODULES)

# only what the demo needs: its packages first, then netsup, nsrelay,
# netsup-stack and netsup-lwip
demo:
	@tests/deps.sh demo
	@$(MAKE) --no-print-directory B=$(B) $(B)/netsup $(B)/nsrelay $(B)/netsup-stack $(B)/netsup-lwip
	@tests/demo.sh $(B)

check: deps all $(FUZZ) $(UNIT)
	@NETSUP_SAN=$(filter 1,$(SAN)) tests/run.sh $(B)

lint:
	tests/lint/include-cycles.py supervisor stacks stacks/tool stacks/lwip common shim
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --std=c11 --inline-suppr -I supervisor -I stacks -I stacks/tool -I common -I shim \
	  supervisor stacks common shim
	clang-tidy --quiet $(SUP_SRC) $(STACK_SRC) $(LOG_SRC) shim/msocket.c $(TOOL_SRC) stacks/stackproto.c -- -std=gnu11 $(CPPFLAGS)
	clang-tidy --quiet $(filter-out stacks/stackproto.c common/fdpass.c $(LOG_SRC),$(LWIP_SRC)) -- -std=gnu11 $(CPPFLAGS) $(LWIP_INC)

# Without DESTDIR, ldconfig: the dynamic linker finds the new
# libmsocket.so.1 in $(libdir) only through its cache.  Only the products
# are built first, never the test helpers.
install: $(PRODUCTS)
	install -Dm755 $(B)/netsup $(DESTDIR)$(bindir)/netsup
	install -Dm755 $(B)/netsup-stack $(DESTDIR)$(bindir)/netsup-stack
	install -Dm755 $(B)/netsup-lwip $(DESTDIR)$(bindir)/netsup-lwip
	install -Dm644 $(B)/lib/$(SHLIB) $(DESTDIR)$(libdir)/$(SHLIB)
	ln -sf $(SHLIB) $(DESTDIR)$(libdir)/libmsocket.so.$(SOMAJOR)
	ln -sf $(SHLIB) $(DESTDIR)$(libdir)/libmsocket.so
	install -Dm644 $(B)/lib/libmsocket.a $(DESTDIR)$(libdir)/libmsocket.a
	install -Dm644 shim/msocket.h $(DESTDIR)$(includedir)/msocket.h
	install -d $(DESTDIR)$(pkgconfigdir)
	sed -e 's|@prefix@|$(PREFIX)|' -e 's|@libdir@|$(libdir)|' \
	    -e 's|@includedir@|$(includedir)|' -e 's|@version@|$(VERSION)|' \
	    shim/msocket.pc.in > $(DESTDIR)$(pkgconfigdir)/msocket.pc
	install -Dm644 man/netsup.1 $(DESTDIR)$(mandir)/man1/netsup.1
	install -Dm644 man/msocket.3 $(DESTDIR)$(mandir)/man3/msocket.3
	install -Dm644 man/netsup-stack.8 $(DESTDIR)$(mandir)/man8/netsup-stack.8
	install -Dm644 man/netsup-lwip.8 $(DESTDIR)$(mandir)/man8/netsup-lwip.8
	install -Dm644 man/netsup-stack-protocol.7 $(DESTDIR)$(mandir)/man7/netsup-stack-protocol.7
	install -Dm644 completion/netsup.bash $(DESTDIR)$(bashcompdir)/netsup
	install -Dm644 completion/netsup-stack.bash $(DESTDIR)$(bashcompdir)/netsup-stack
	install -Dm644 completion/_netsup $(DESTDIR)$(zshcompdir)/_netsup
	install -Dm644 completion/_netsup-stack $(DESTDIR)$(zshcompdir)/_netsup-stack
	install -d $(DESTDIR)$(systemdunitdir)
	sed -e 's|@bindir@|$(bindir)|g' -e 's|@sysconfdir@|$(sysconfdir)|g' \
	    systemd/netsup-stack@.service.in > $(DESTDIR)$(systemdunitdir)/netsup-stack@.service
	$(if $(DESTDIR),,$(LDCONFIG))

# The ELF files make install puts in place, and where each one's debug
# info goes: $(debugdir)/.build-id/NN/REST.debug, NNREST its build id,
# where gdb looks for it (with PREFIX=/usr).
STRIPPED := $(bindir)/netsup $(bindir)/netsup-stack $(bindir)/netsup-lwip $(libdir)/$(SHLIB)
debugfile = $(debugdir)/.build-id/$$(readelf -n $(1) | sed -n 's/^ *Build ID: \(..\)\(.*\)/\1\/\2/p').debug

install-strip: install
	set -e; for f in $(STRIPPED); do \
	  d=$(DESTDIR)$(call debugfile,$(DESTDIR)$$f); \
	  mkdir -p $$(dirname $$d); \
	  $(OBJCOPY) --only-keep-debug --compress-debug-sections $(DESTDIR)$$f $$d; \
	  chmod 644 $$d; \
	  $(STRIP) --remove-section=.comment --remove-section=.note --strip-unneeded $(DESTDIR)$$f; \
	  $(OBJCOPY) --add-gnu-debuglink=$$d $(DESTDIR)$$f; \
	done
	$(STRIP) --strip-debug $(DESTDIR)$(libdir)/libmsocket.a

uninstall:
	rm -f $(foreach f,$(STRIPPED),$(DESTDIR)$(call debugfile,$(DESTDIR)$(f)))
	rm -f $(DESTDIR)$(bindir)/netsup $(DESTDIR)$(bindir)/netsup-stack \
	  $(DESTDIR)$(bindir)/netsup-lwip \
	  $(DESTDIR)$(libdir)/$(SHLIB) $(DESTDIR)$(libdir)/libmsocket.so.$(SOMAJOR) \
	  $(DESTDIR)$(libdir)/libmsocket.so $(DESTDIR)$(libdir)/libmsocket.a \
	  $(DESTDIR)$(includedir)/msocket.h $(DESTDIR)$(pkgconfigdir)/msocket.pc \
	  $(DESTDIR)$(mandir)/man1/netsup.1 $(DESTDIR)$(mandir)/man3/msocket.3 \
	  $(DESTDIR)$(mandir)/man8/netsup-stack.8 $(DESTDIR)$(mandir)/man8/netsup-lwip.8 \
	  $(DESTDIR)$(mandir)/man7/netsup-stack-protocol.7 \
	  $(DESTDIR)$(bashcompdir)/netsup $(DESTDIR)$(bashcompdir)/netsup-stack \
	  $(DESTDIR)$(zshcompdir)/_netsup $(DESTDIR)$(zshcompdir)/_netsup-stack \
	  $(DESTDIR)$(systemdunitdir)/netsup-stack@.service
	$(if $(DESTDIR),,$(LDCONFIG))

clean:
	rm -rf $(B)

# Header dependencies: each object's .d, written by the compiler (-MMD).
# An object whose .d is missing (built before -MMD) is built again: its
# .d is a target with no recipe, which puts the object out of date.
DEPFILES  := $(patsubst %.o,%.d,$(sort $(SUP_OBJ) $(SHIM_OBJ) $(LWIP_OBJ) $(TOOL_OBJ)))
$(DEPFILES):
-include $(wildcard $(DEPFILES))

.PHONY: all deps check lint install install-strip uninstall clean demo bench fuzz stress valgrind soak unit pysuite
.DELETE_ON_ERROR:
