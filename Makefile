# One entry point. Sources are found by directory, so adding a file needs
# no edit here. lib/ mm/ block/ fs/ (and kernel/wait.c, kernel/prof.c)
# are the portable core: they build into the kernel and into the host
# unit-test binary. "asm/..." headers resolve per build, as Linux's do
# per arch: to arch/x86/include in the kernel, to tests/unit/fixtures/asm
# on the host, which has only asm/irqflags.h and asm/timex.h; so the
# portable core can use nothing x86 but the interrupt flags and the
# cycle counter (get_cycles).

BUILD := build
CC := gcc
LD := ld
NASM := nasm

WARN := -Wall -Wextra -Werror
COMMON_CFLAGS := -std=gnu11 -g $(WARN) -iquote include -iquote . -MMD -MP

KCFLAGS := $(COMMON_CFLAGS) -O2 -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-fno-pie -fno-pic -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -mno-red-zone -mgeneral-regs-only \
	-iquote arch/x86/include -DKERNEL
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack -T boot/linker.ld

PORTABLE_DIRS := lib mm block fs fs/ext2
KSRC := $(wildcard arch/x86/*/*.c init/*.c kernel/*.c drivers/*/*.c \
	shell/*.c tests/kernel/*.c) $(wildcard $(addsuffix /*.c,$(PORTABLE_DIRS)))
KASM := $(wildcard boot/*.asm arch/x86/*/*.asm)
KOBJ := $(patsubst %.c,$(BUILD)/kernel/%.o,$(KSRC)) \
	$(patsubst %.asm,$(BUILD)/kernel/%.asm.o,$(KASM))

# libc-named functions are the C library's on the host; their own tests
# build them renamed (tests/unit/fixtures/klibc_rename.h).
HOST_RENAMED := lib/string.c lib/vsprintf.c
# The flusher thread is the one kernel-only file in a portable folder: the
# host tests drive writeback by calling flusher_run_once() themselves.
KERNEL_ONLY := mm/writeback_thread.c
# The shell's pure parts (line editing, words, numbers) are tested there
# too; the rest of shell/ talks to the kernel.
HOST_SHELL := shell/line.c shell/args.c
HOST_CORE := $(filter-out $(HOST_RENAMED) $(KERNEL_ONLY),\
	$(wildcard $(addsuffix /*.c,$(PORTABLE_DIRS)))) kernel/wait.c kernel/prof.c \
	$(HOST_SHELL)
HOST_TESTS := $(wildcard tests/unit/*.c tests/unit/fixtures/*.c)
HCFLAGS := $(COMMON_CFLAGS) -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-iquote tests/unit -iquote tests/unit/fixtures -DHOST_TEST $(shell pkg-config --cflags check 2>/dev/null)
# bio_alloc and kzalloc pass through the platform fixture, which can fail
# them on demand (host_fail_alloc in tests/unit/fixtures/platform.h).
HLDLIBS := $(shell pkg-config --libs check 2>/dev/null) -lm \
	-Wl,--wrap=bio_alloc -Wl,--wrap=kzalloc
HOBJ := $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_CORE) $(HOST_TESTS)) \
	$(patsubst %.c,$(BUILD)/host/renamed/%.o,$(wildcard $(HOST_RENAMED)))

# The default disk image (scripts/mkdisk). `make run` and `make debug`
# boot a fresh copy of it, RUN_IMG, every time: a session quit with
# Ctrl-] (no clean unmount) never damages the next one. KEEP=1 boots
# the copy the last run left; DISK=path boots your image as it is.
DEFAULT_DISK := $(BUILD)/disk.img
RUN_IMG := $(BUILD)/run.img

# Parallel builds: the host sanitizer build is the slow part on a clean tree.
JOBS := $(shell nproc 2>/dev/null || echo 2)

# Quiet by default, as Linux's kbuild: one "  CC  file" line a step; V=1
# shows the whole commands.
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-6s %s\n'
endif

.PHONY: all run test check bench bench-linux doc-pictures debug gdb grade \
	labs lab-start clean deps format format-check
all: $(BUILD)/os.iso

deps:
	@scripts/install-deps

$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	$(quiet) AS $<
	$(Q)$(NASM) -f elf64 -g -F dwarf -MD $@.d -MP -o $@ $<

# Two links, as Linux's kallsyms: the first with an empty symbol table,
# the second with the table made from the first's text symbols (data
# after .text, so no function moves: scripts/kallsyms --check).
$(BUILD)/kallsyms0.c: scripts/kallsyms
	@mkdir -p $(dir $@)
	$(Q)scripts/kallsyms --empty >$@

$(BUILD)/kernel.tmp.elf: $(KOBJ) $(BUILD)/kallsyms0.o boot/linker.ld
	$(quiet) LD $@
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(BUILD)/kallsyms0.o

$(BUILD)/kallsyms.c: $(BUILD)/kernel.tmp.elf scripts/kallsyms
	$(quiet) KSYM $@
	$(Q)nm -n -S --defined-only $< >$(BUILD)/kernel.tmp.nm
	$(Q)scripts/kallsyms <$(BUILD)/kernel.tmp.nm >$@

$(BUILD)/kallsyms.o $(BUILD)/kallsyms0.o: %.o: %.c
	$(quiet) CC $<
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel.elf: $(KOBJ) $(BUILD)/kallsyms.o boot/linker.ld
	$(quiet) LD $@
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(BUILD)/kallsyms.o
	$(Q)nm -n -S --defined-only $@ >$(BUILD)/kernel.nm
	$(Q)scripts/kallsyms --check $(BUILD)/kernel.tmp.nm $(BUILD)/kernel.nm

$(BUILD)/os.iso: $(BUILD)/kernel.elf boot/grub.cfg
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	$(quiet) ISO $@
	$(Q)cp $(BUILD)/kernel.elf $(BUILD)/iso/boot/kernel.elf
	$(Q)cp boot/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(CC) $(HCFLAGS) -c $< -o $@

$(BUILD)/host/renamed/%.o: %.c tests/unit/fixtures/klibc_rename.h
	@mkdir -p $(dir $@)
	$(quiet) HOSTCC $<
	$(Q)$(CC) $(HCFLAGS) -fno-builtin -include tests/unit/fixtures/klibc_rename.h -c $< -o $@

# The ext2 suites hash every file of five images: at -O1 under the
# sanitizers, SHA-256 is most of their time.
$(BUILD)/host/lib/sha256.o: HCFLAGS += -O2

$(BUILD)/unit-tests: $(HOBJ)
	$(quiet) HOSTLD $@
	$(Q)$(CC) $(HCFLAGS) -o $@ $(HOBJ) $(HLDLIBS)

# The suites run in parallel (tests/unit/main.c); a green run prints one
# line. UNIT_JOBS=1 runs them in one process, UNIT_VERBOSE=1 shows all.
check: deps
	@$(MAKE) --no-print-directory $(if $(filter 1,$(V)),,-s) -j$(JOBS) \
		$(BUILD)/unit-tests format-check
	@$(BUILD)/unit-tests

# A long ext2 fuzz campaign (make check runs 400 cases); FUZZ_SEED and
# FUZZ_CASES choose the cases, FUZZ_SEED=n FUZZ_CASES=1 replays one.
FUZZ_CASES ?= 5000
.PHONY: fuzz
fuzz: deps $(BUILD)/unit-tests
	CK_RUN_SUITE=ext2_fuzz FUZZ_CASES=$(FUZZ_CASES) $(BUILD)/unit-tests

# A longer power-cut campaign than make test's (tests/system/53-fs-power-cut.py
# with more seeds, operations and cuts); POWER_CUT_SEEDS=n replays one seed.
POWER_CUT_SEEDS ?= 1,2,3,4,5,6,7,8,9,10,11,12
.PHONY: power-cut
power-cut: deps all
	tests/images/build $(BUILD)/images
	BUILD=$(BUILD) tests/system/53-fs-power-cut.py --seeds $(POWER_CUT_SEEDS) \
		--ops 150 --cuts 12

# Linux kernel style, as .clang-format describes it.
FORMAT_SRC = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i --style=file $(FORMAT_SRC)

format-check:
	@clang-format --style=file --dry-run --Werror $(FORMAT_SRC) || \
		{ echo "style: run 'make format'"; exit 1; }

$(DEFAULT_DISK): scripts/mkdisk
	scripts/mkdisk $@

# The image a session boots: DISK, or a fresh (KEEP=1: the kept) copy.
boot_img = $(if $(DISK),$(DISK),$(RUN_IMG))
fresh_copy = $(if $(DISK),,if [ "$(KEEP)" != 1 ] || [ ! -f $(RUN_IMG) ]; \
	then cp $(DEFAULT_DISK) $(RUN_IMG); fi)

# An interactive session exits 0 unless the kernel panicked or faulted
# (run-qemu), and quitting with Ctrl-] (130) is the user's choice.
run: deps all $(DEFAULT_DISK)
	@$(fresh_copy)
	@BUILD=$(BUILD) scripts/run-qemu --disk $(boot_img) --command selftest \
		|| [ $$? -eq 130 ]

# The ext2 test images, built once: the host tests build them the same
# way, under the same stamp (tests/unit/fixtures/ext2_img.c).
IMAGES_STAMP := $(BUILD)/images/.stamp
$(IMAGES_STAMP): tests/images/build tests/images/tree.py tests/images/corrupt.py
	$(quiet) IMAGES $(BUILD)/images
	$(Q)tests/images/build $(BUILD)/images
	$(Q)touch $@

test: deps
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory -j$(JOBS) all $(DEFAULT_DISK) $(IMAGES_STAMP)
	scripts/check-layers $(BUILD)
	BUILD=$(BUILD) tests/run-system
	BUILD=$(BUILD) JOBS=$(JOBS) scripts/lab check

# The labs (docs/labs.md): list them, start one on its own branch, and
# score one (LAB=name) or all of them; grading builds what a lab needs.
labs:
	@scripts/lab list

lab-start:
	@scripts/lab start $(LAB)

grade: deps
	@BUILD=$(BUILD) JOBS=$(JOBS) scripts/lab grade $(LAB)

bench: deps all
	BUILD=$(BUILD) scripts/bench

# The pictures docs/ shows (docs/images/*.svg), from traced bench reads.
doc-pictures: deps all
	BUILD=$(BUILD) scripts/bench --docs trace

# The same cold-cache workload on a stock Debian Linux guest (fetched with
# apt-get download into $(BUILD)/linux-guest), side by side; ROUNDS=N and
# CASES=a,b choose (docs/performance.md).
bench-linux: deps all
	BUILD=$(BUILD) ROUNDS="$(ROUNDS)" CASES="$(CASES)" scripts/bench-linux

# Two terminals: `make debug` boots QEMU stopped, waiting for gdb on
# GDB_PORT; `make gdb` attaches with the project's .gdbinit and the
# storage-stack commands of scripts/gdb/storage.py (docs/debugging.md).
GDB_PORT ?= 1234

debug: deps all $(DEFAULT_DISK)
	@echo "QEMU waits for gdb on :$(GDB_PORT): run make gdb in another terminal"
	@$(fresh_copy)
	@BUILD=$(BUILD) scripts/run-qemu --disk $(boot_img) --timeout 0 -- \
		-gdb tcp::$(GDB_PORT) -S || [ $$? -eq 130 ]

gdb: all
	gdb -q -iex 'add-auto-load-safe-path $(CURDIR)/.gdbinit' \
		-ex 'target remote :$(GDB_PORT)' $(BUILD)/kernel.elf

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
