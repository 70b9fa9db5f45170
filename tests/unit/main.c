/* Runs every Check suite registered with UNIT_SUITE(); exit 1 on any failure. */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#define MAX_SUITES 64

static unit_suite_fn suites[MAX_SUITES];
static int nr_suites;

void unit_register_suite(unit_suite_fn fn)
{
	if (nr_suites == MAX_SUITES) {
		fprintf(stderr, "unit: too many suites\n");
		exit(2);
	}
	suites[nr_suites++] = fn;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (!nr_suites) {
		fprintf(stderr, "unit: no suites registered\n");
		return 1;
	}
	sr = srunner_create(suites[0]());
	for (int i = 1; i < nr_suites; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
