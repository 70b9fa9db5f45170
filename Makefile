# One entry point. Sources are found by directory, so adding a file needs
# no edit here. lib/ mm/ block/ fs/ (and kernel/wait.c) are the portable
# core: they build into the kernel and into the host unit-test binary.

BUILD := build
CC := gcc
LD := ld
NASM := nasm

WARN := -Wall -Wextra -Werror
COMMON_CFLAGS := -std=gnu11 -g $(WARN) -iquote include -MMD -MP

KCFLAGS := $(COMMON_CFLAGS) -O2 -ffreestanding -fno-builtin -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-fno-pie -fno-pic -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -mno-red-zone -mgeneral-regs-only \
	-DKERNEL
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack -T boot/linker.ld

PORTABLE_DIRS := lib mm block fs fs/ext2
KSRC := $(wildcard boot/*.c kernel/*.c drivers/*/*.c tests/kernel/*.c) \
	$(wildcard $(addsuffix /*.c,$(PORTABLE_DIRS)))
KASM := $(wildcard boot/*.asm kernel/*.asm)
KOBJ := $(patsubst %.c,$(BUILD)/kernel/%.o,$(KSRC)) \
	$(patsubst %.asm,$(BUILD)/kernel/%.asm.o,$(KASM))

# libc-named functions are the C library's on the host; their own tests
# build them renamed (tests/unit/klibc_rename.h).
HOST_RENAMED := lib/string.c lib/vsprintf.c
HOST_CORE := $(filter-out $(HOST_RENAMED),\
	$(wildcard $(addsuffix /*.c,$(PORTABLE_DIRS)))) kernel/wait.c
HOST_TESTS := $(wildcard tests/unit/*.c)
HCFLAGS := $(COMMON_CFLAGS) -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-iquote tests/unit -DHOST_TEST $(shell pkg-config --cflags check 2>/dev/null)
HLDLIBS := $(shell pkg-config --libs check 2>/dev/null) -lm
HOBJ := $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_CORE) $(HOST_TESTS)) \
	$(patsubst %.c,$(BUILD)/host/renamed/%.o,$(wildcard $(HOST_RENAMED)))

DISK := $(BUILD)/disk.img

.PHONY: all run test check bench bench-linux debug grade clean deps format format-check
all: $(BUILD)/os.iso

deps:
	@scripts/install-deps

$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/kernel/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -g -F dwarf -MD $@.d -MP -o $@ $<

$(BUILD)/kernel.elf: $(KOBJ) boot/linker.ld
	$(LD) $(KLDFLAGS) -o $@ $(KOBJ)

$(BUILD)/os.iso: $(BUILD)/kernel.elf boot/grub.cfg
	@rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	cp $(BUILD)/kernel.elf $(BUILD)/iso/boot/kernel.elf
	cp boot/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HCFLAGS) -c $< -o $@

$(BUILD)/host/renamed/%.o: %.c tests/unit/klibc_rename.h
	@mkdir -p $(dir $@)
	$(CC) $(HCFLAGS) -fno-builtin -include tests/unit/klibc_rename.h -c $< -o $@

$(BUILD)/unit-tests: $(HOBJ)
	$(CC) $(HCFLAGS) -o $@ $(HOBJ) $(HLDLIBS)

check: deps $(BUILD)/unit-tests format-check
	$(BUILD)/unit-tests

# A long ext2 fuzz campaign (make check runs 400 cases); FUZZ_SEED and
# FUZZ_CASES choose the cases, FUZZ_SEED=n FUZZ_CASES=1 replays one.
FUZZ_CASES ?= 5000
.PHONY: fuzz
fuzz: deps $(BUILD)/unit-tests
	CK_RUN_SUITE=ext2_fuzz FUZZ_CASES=$(FUZZ_CASES) $(BUILD)/unit-tests

# Linux kernel style, as .clang-format describes it.
FORMAT_SRC = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i --style=file $(FORMAT_SRC)

format-check:
	@clang-format --style=file --dry-run --Werror $(FORMAT_SRC) || \
		{ echo "style: run 'make format'"; exit 1; }

$(DISK): scripts/mkdisk
	scripts/mkdisk $@

run: deps all $(DISK)
	@BUILD=$(BUILD) scripts/run-qemu --disk $(DISK) --command selftest

# Parallel builds: the host sanitizer build is the slow part on a clean tree.
JOBS := $(shell nproc 2>/dev/null || echo 2)

test: deps
	$(MAKE) -j$(JOBS) check
	$(MAKE) -j$(JOBS) all $(DISK)
	tests/images/build $(BUILD)/images
	BUILD=$(BUILD) tests/run-system

# Every host suite and system test, reported one by one (for graders).
grade: deps
	$(MAKE) -j$(JOBS) all $(DISK) $(BUILD)/unit-tests
	tests/images/build $(BUILD)/images
	BUILD=$(BUILD) scripts/grade

bench: deps all
	BUILD=$(BUILD) scripts/bench

# The same cold-cache workload on a stock Debian Linux guest (fetched with
# apt-get download into $(BUILD)/linux-guest), side by side; ROUNDS=N and
# CASES=a,b choose (docs/performance.md).
bench-linux: deps all
	BUILD=$(BUILD) ROUNDS="$(ROUNDS)" CASES="$(CASES)" scripts/bench-linux

debug: deps all $(DISK)
	@echo "QEMU waits for gdb: gdb $(BUILD)/kernel.elf -ex 'target remote :1234'"
	BUILD=$(BUILD) scripts/run-qemu --disk $(DISK) --timeout 0 -- -s -S

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
