/*
 * The self-test runner: walks the .kunit_cases section and prints KTAP
 * version 1, the format of Linux's KUnit, so the same parsers read it.
 * Cases run one after another in the calling thread and may sleep.
 */
#include "kunit.h"
#include "errno.h"
#include "glob.h"
#include "printk.h"
#include "sched.h"
#include "sprintf.h"
#include "string.h"

extern const struct kunit_case __kunit_cases_start[];
extern const struct kunit_case __kunit_cases_end[];

/* A case that fails in a loop must not flood the console. */
#define KUNIT_MAX_DIAGNOSTICS 16

static unsigned int diagnostics;
static char skip_reason[96];

bool ktest_selected(const struct kunit_case *c, const char *glob)
{
	if (!glob || !*glob)
		return !c->explicit_only;
	if (strcmp(glob, c->name) == 0)
		return true;
	return !c->explicit_only && glob_match(glob, c->name);
}

void kunit_fail(struct kunit *test, const char *file, int line, const char *fmt,
		...)
{
	char msg[256];
	va_list ap;

	test->failed = true;
	if (++diagnostics > KUNIT_MAX_DIAGNOSTICS) {
		if (diagnostics == KUNIT_MAX_DIAGNOSTICS + 1)
			printk("    # %s: further failures not shown\n",
			       test->name);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("    # %s: %s at %s:%d\n", test->name, msg, file, line);
}

void kunit_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	test->skipped = true;
	va_start(ap, fmt);
	vsnprintf(skip_reason, sizeof(skip_reason), fmt, ap);
	va_end(ap);
}

/*
 * Cases run in name order, so a subsystem's cases stay together and the
 * numbering does not depend on link order. Returns the selected case
 * after prev (NULL = the first), or NULL.
 */
static const struct kunit_case *next_case(const struct kunit_case *prev,
					  const char *glob)
{
	const struct kunit_case *c, *best = NULL;

	for (c = __kunit_cases_start; c < __kunit_cases_end; c++) {
		if (!ktest_selected(c, glob))
			continue;
		if (prev && (strcmp(c->name, prev->name) < 0 ||
			     (strcmp(c->name, prev->name) == 0 && c <= prev)))
			continue;
		if (!best || strcmp(c->name, best->name) < 0)
			best = c;
	}
	return best;
}

/* Returns 1 if the case passed or was skipped, 0 if it failed. */
static int run_case(const struct kunit_case *c, int nr, int *skipped)
{
	struct kunit test = { .name = c->name };

	diagnostics = 0;
	c->run(&test);
	if (test.failed) {
		printk("not ok %d %s\n", nr, c->name);
		return 0;
	}
	if (test.skipped) {
		printk("ok %d %s # SKIP %s\n", nr, c->name, skip_reason);
		(*skipped)++;
	} else {
		printk("ok %d %s\n", nr, c->name);
	}
	return 1;
}

static int count_selected(const char *glob)
{
	const struct kunit_case *c;
	int total = 0;

	for (c = __kunit_cases_start; c < __kunit_cases_end; c++)
		total += ktest_selected(c, glob);
	return total;
}

int ktest_list(const char *glob)
{
	const struct kunit_case *c;

	if (!count_selected(glob))
		return -ENOENT;
	for (c = next_case(NULL, glob); c; c = next_case(c, glob))
		printk("%s\n", c->name);
	return 0;
}

int ktest_run(const char *glob)
{
	const struct kunit_case *c;
	int total = count_selected(glob), nr = 0, passed = 0, skipped = 0;

	/* Nothing to run is a mistake in the glob, not "0 passed". */
	if (!total)
		return -ENOENT;
	printk("KTAP version 1\n1..%d\n", total);
	for (c = next_case(NULL, glob); c; c = next_case(c, glob)) {
		if (signal_pending(current)) { /* Ctrl-C, between two cases */
			printk("# interrupted after %d of %d cases\n", nr,
			       total);
			return -EINTR;
		}
		passed += run_case(c, ++nr, &skipped);
	}
	printk("# Totals: pass:%d fail:%d skip:%d total:%d\n", passed - skipped,
	       total - passed, skipped, total);
	printk("%d passed, %d failed\n", passed, total - passed);
	return total - passed;
}
