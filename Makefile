# SPDX-License-Identifier: GPL-2.0-or-later
# netsup - several networking stacks for one program
#
#   make            build everything under build/
#   make check      install the Debian packages needed, build, run every test
#   make demo       two namespace stacks, unmodified programs in each
#   make install    PREFIX=/usr/local DESTDIR=
#   make check SAN=1   the same with ASan and UBSan
#   make lint       cppcheck and clang-tidy

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
bindir     ?= $(PREFIX)/bin
libdir     ?= $(PREFIX)/lib
includedir ?= $(PREFIX)/include
mandir     ?= $(PREFIX)/share/man
pkgconfigdir ?= $(libdir)/pkgconfig

CC      ?= gcc
B       := build
SOMAJOR := 1

WARN    := -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow -Wformat=2
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

STACK_SRC := stacks/stack.c stacks/netns.c
SUP_SRC   := supervisor/main.c supervisor/options.c supervisor/log.c \
             supervisor/launch.c supervisor/filter.c supervisor/notify.c \
             supervisor/creds.c supervisor/childmem.c
SUP_OBJ   := $(patsubst %.c,$(B)/%.o,$(SUP_SRC) $(STACK_SRC))

PROGS_SRC := $(wildcard tests/progs/*.c)
PROGS     := $(patsubst tests/progs/%.c,$(B)/tests/%,$(PROGS_SRC))

all: $(B)/netsup $(PROGS)

$(B)/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -c -o $@ $<

$(B)/netsup: $(SUP_OBJ)
	$(CC) -o $@ $^ $(LDFLAGS_BIN) -lseccomp -lcap -lpthread

# Test helper programs: each makes exactly the system calls a test needs.
$(B)/tests/%: tests/progs/%.c tests/progs/progs.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -g $(SANLD) -o $@ $< -lpthread

# Linked statically, without the sanitizers: nothing may depend on libc.
$(B)/tests/static_socket: tests/progs/static_socket.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -static -o $@ $<

deps:
	@tests/deps.sh

check: deps all
	@tests/run.sh $(B)

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --std=c11 --inline-suppr -I supervisor -I stacks -I shim \
	  supervisor stacks shim
	clang-tidy --quiet $(SUP_SRC) $(STACK_SRC) -- -std=gnu11 $(CPPFLAGS)

install: all
	install -Dm755 $(B)/netsup $(DESTDIR)$(bindir)/netsup
	install -Dm644 man/netsup.1 $(DESTDIR)$(mandir)/man1/netsup.1

clean:
	rm -rf $(B)

.PHONY: all deps check lint install clean demo bench
.DELETE_ON_ERROR:
