/*
 * Runs every Check suite registered with UNIT_SUITE(); exit 1 on any
 * failure.
 *
 * With CK_RUN_SUITE set (one suite) or UNIT_JOBS=1, the suites run in
 * this process, one after another, and Check prints as it always does.
 * Otherwise each suite runs in a child process, UNIT_JOBS (default: the
 * number of CPUs) at a time, so `make check` takes the time of its
 * slowest suites rather than of all of them. The slowest start first:
 * each run writes every suite's time next to the binary
 * (build/unit-tests.times), the next run orders by it, so one long suite
 * never starts last. A child's output goes to a file and is shown only
 * if the suite failed (or with UNIT_VERBOSE): a green run prints one
 * summary line, in Check's own words.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

#define MAX_SUITES 64

static struct suite_entry {
	unit_suite_fn fn;
	const char *name;
	double seconds; /* the last run's, or a guess */
} suites[MAX_SUITES];
static int nr_suites;

void unit_register_suite(unit_suite_fn fn, const char *name)
{
	if (nr_suites == MAX_SUITES) {
		fprintf(stderr, "unit: too many suites\n");
		exit(2);
	}
	suites[nr_suites++] = (struct suite_entry){ fn, name, 1e9 };
}

static void times_path(char *path, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", path, size - 8);

	if (n < 0)
		n = 0;
	path[n] = '\0';
	strcat(path, ".times");
}

/* Each suite's time from the last run; a suite never timed goes first. */
static void load_times(void)
{
	char path[4096], name[128];
	double seconds;
	FILE *f;

	times_path(path, sizeof(path));
	f = fopen(path, "r");
	if (!f)
		return;
	while (fscanf(f, "%127s %lf", name, &seconds) == 2)
		for (int i = 0; i < nr_suites; i++)
			if (strcmp(suites[i].name, name) == 0)
				suites[i].seconds = seconds;
	fclose(f);
}

static void save_times(void)
{
	char path[4096];
	FILE *f;

	times_path(path, sizeof(path));
	f = fopen(path, "w");
	if (!f)
		return;
	for (int i = 0; i < nr_suites; i++)
		fprintf(f, "%s %.2f\n", suites[i].name, suites[i].seconds);
	fclose(f);
}

static int slowest_first(const void *a, const void *b)
{
	double x = ((const struct suite_entry *)a)->seconds;
	double y = ((const struct suite_entry *)b)->seconds;

	return (x < y) - (x > y);
}

struct counts {
	int run, failures, errors;
};

static void count(SRunner *sr, struct counts *c)
{
	TestResult **results = srunner_results(sr);

	c->run = srunner_ntests_run(sr);
	c->failures = c->errors = 0;
	for (int i = 0; i < c->run; i++) {
		if (tr_rtype(results[i]) == CK_FAILURE)
			c->failures++;
		else if (tr_rtype(results[i]) == CK_ERROR)
			c->errors++;
	}
	free(results);
}

static int run_in_process(void)
{
	SRunner *sr = srunner_create(suites[0].fn());
	int failed;

	for (int i = 1; i < nr_suites; i++)
		srunner_add_suite(sr, suites[i].fn());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}

struct job {
	pid_t pid;
	struct suite_entry *suite;
	FILE *out; /* the child's stdout and stderr */
	int result_fd; /* the child writes its struct counts here */
	struct timespec start;
};

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* In the child: run one suite, report its counts, never return. */
static void run_child(unit_suite_fn fn, FILE *out, int result_fd)
{
	SRunner *sr = srunner_create(fn());
	struct counts c;

	fflush(stdout);
	fflush(stderr);
	dup2(fileno(out), STDOUT_FILENO);
	dup2(fileno(out), STDERR_FILENO);
	srunner_run_all(sr, CK_NORMAL);
	count(sr, &c);
	srunner_free(sr);
	fflush(stdout);
	if (write(result_fd, &c, sizeof(c)) != (ssize_t)sizeof(c))
		_exit(2);
	_exit(0);
}

static int start_job(struct job *j, struct suite_entry *suite)
{
	int fds[2];

	j->suite = suite;
	j->out = tmpfile();
	if (!j->out || pipe(fds)) {
		perror("unit");
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &j->start);
	fflush(stdout);
	fflush(stderr);
	j->pid = fork();
	if (j->pid < 0) {
		perror("unit: fork");
		return -1;
	}
	if (j->pid == 0) {
		close(fds[0]);
		run_child(suite->fn, j->out, fds[1]);
	}
	close(fds[1]);
	j->result_fd = fds[0];
	return 0;
}

/*
 * The suite's name, from Check's line "Running suite(s): NAME", else the
 * function that made it.
 */
static void suite_name(FILE *f, const char *fn, char *name, size_t size)
{
	char line[256];

	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Running suite(s): %127s", name) == 1)
			return;
	snprintf(name, size, "%s", fn);
}

static void copy_to_stdout(FILE *f)
{
	char buf[4096];
	size_t n;

	rewind(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
}

/* Collect a finished child; false if the suite did not pass. */
static bool end_job(struct job *j, int status, struct counts *total)
{
	struct counts c = { 0 };
	char name[128];
	bool got = read(j->result_fd, &c, sizeof(c)) == (ssize_t)sizeof(c);
	bool ok = got && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
		  !c.failures && !c.errors;

	close(j->result_fd);
	j->suite->seconds = seconds_since(&j->start);
	if (!ok || getenv("UNIT_VERBOSE")) {
		suite_name(j->out, j->suite->name, name, sizeof(name));
		copy_to_stdout(j->out);
		if (!got)
			printf("unit: suite %s ended without a result "
			       "(status 0x%x)\n",
			       name, status);
		printf("unit: suite %s %s (%.1f s)\n", name,
		       ok ? "passed" : "FAILED", j->suite->seconds);
		fflush(stdout);
	}
	fclose(j->out);
	total->run += c.run;
	total->failures += c.failures;
	total->errors += c.errors + !got;
	return ok;
}

static int run_parallel(int jobs)
{
	struct job running[MAX_SUITES];
	struct counts total = { 0 };
	int next = 0, active = 0, bad = 0;

	load_times();
	qsort(suites, (size_t)nr_suites, sizeof(suites[0]), slowest_first);
	while (next < nr_suites || active) {
		int status;
		pid_t pid;

		if (next < nr_suites && active < jobs) {
			if (start_job(&running[active], &suites[next++]))
				return 2;
			active++;
			continue;
		}
		pid = wait(&status);
		if (pid < 0) {
			perror("unit: wait");
			return 2;
		}
		for (int i = 0; i < active; i++) {
			if (running[i].pid != pid)
				continue;
			bad += !end_job(&running[i], status, &total);
			running[i] = running[--active];
			break;
		}
	}
	save_times();
	printf("%d%%: Checks: %d, Failures: %d, Errors: %d\n",
	       total.run ? 100 * (total.run - total.failures - total.errors) /
				   total.run :
			   0,
	       total.run, total.failures, total.errors);
	return bad ? 1 : 0;
}

int main(void)
{
	const char *env = getenv("UNIT_JOBS");
	long jobs = env ? atol(env) : sysconf(_SC_NPROCESSORS_ONLN);

	if (!nr_suites) {
		fprintf(stderr, "unit: no suites registered\n");
		return 1;
	}
	if (getenv("CK_RUN_SUITE") || jobs <= 1)
		return run_in_process();
	return run_parallel(jobs > MAX_SUITES ? MAX_SUITES : (int)jobs);
}
