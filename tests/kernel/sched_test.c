/*
 * Self-tests of kernel threads and the scheduler: two threads taking
 * turns through a wait queue, exited threads reaped, the thread list.
 */
#include "kunit.h"
#include "ktime.h"
#include "mm.h"
#include "sched.h"
#include "string.h"
#include "wait.h"

#define PINGPONG_ROUNDS 50
#define WAIT_LIMIT_MS 2000

struct pingpong {
	wait_queue_head_t wq;
	int turn;
	int log[2 * PINGPONG_ROUNDS];
	int n;
	int done;
};

struct player {
	struct pingpong *pp;
	int id;
};

static int player_thread(void *data)
{
	struct player *me = data;
	struct pingpong *pp = me->pp;

	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		if (!wait_event_timeout(pp->wq, pp->turn == me->id,
					WAIT_LIMIT_MS))
			break;
		pp->log[pp->n++] = me->id;
		pp->turn = !me->id;
		wake_up(&pp->wq);
	}
	pp->done++;
	wake_up(&pp->wq);
	return 0;
}

static void sched_pingpong_test(struct kunit *test)
{
	static struct pingpong pp;
	static struct player players[2];

	memset(&pp, 0, sizeof(pp));
	init_waitqueue_head(&pp.wq);
	for (int i = 0; i < 2; i++) {
		players[i].pp = &pp;
		players[i].id = i;
	}
	/* Start player 1 first: it must wait for player 0's turn. */
	KUNIT_ASSERT_TRUE(test,
			  kthread_run(player_thread, &players[1], "ping1"));
	KUNIT_ASSERT_TRUE(test,
			  kthread_run(player_thread, &players[0], "ping0"));
	KUNIT_ASSERT_TRUE(test, wait_event_timeout(pp.wq, pp.done == 2, 4000));
	KUNIT_ASSERT_EQ(test, pp.n, 2 * PINGPONG_ROUNDS);
	for (int i = 0; i < pp.n; i++)
		KUNIT_EXPECT_EQ(test, pp.log[i], i % 2);
}
KUNIT_CASE(sched_pingpong_test, "sched.pingpong");

static int exit_thread(void *data)
{
	(*(int *)data)++;
	return 0;
}

/* Threads that exit give back their stacks and task structs. */
static void sched_exit_reaps_test(struct kunit *test)
{
	static int ran;
	unsigned long before;

	ran = 0;
	KUNIT_ASSERT_TRUE(test, kthread_run(exit_thread, &ran, "exit"));
	msleep(2); /* warm caches: the slab may keep a page */
	before = nr_free_pages();
	for (int i = 0; i < 20; i++)
		KUNIT_ASSERT_TRUE(test, kthread_run(exit_thread, &ran, "exit"));
	msleep(2);
	KUNIT_EXPECT_EQ(test, ran, 21);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), before);
}
KUNIT_CASE(sched_exit_reaps_test, "sched.exit_reaps");

struct sleeper {
	wait_queue_head_t wq;
	bool go;
	bool done;
};

static int sleeper_thread(void *data)
{
	struct sleeper *s = data;

	wait_event(s->wq, s->go);
	s->done = true;
	wake_up(&s->wq);
	return 0;
}

/* The thread list shows a sleeping thread, and forgets it once it exits. */
static void sched_task_list_test(struct kunit *test)
{
	static struct sleeper s;
	struct task_struct *p;

	memset(&s, 0, sizeof(s));
	init_waitqueue_head(&s.wq);
	KUNIT_ASSERT_TRUE(test,
			  kthread_run(sleeper_thread, &s, "arch-sleeper"));
	msleep(2);
	p = find_task_by_name("arch-sleeper");
	KUNIT_ASSERT_TRUE(test, p != NULL);
	KUNIT_EXPECT_EQ(test, p->state, TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_FALSE(test, s.done);
	s.go = true;
	wake_up(&s.wq);
	KUNIT_EXPECT_TRUE(test,
			  wait_event_timeout(s.wq, s.done, WAIT_LIMIT_MS));
	msleep(2);
	KUNIT_EXPECT_TRUE(test, find_task_by_name("arch-sleeper") == NULL);
	KUNIT_EXPECT_TRUE(test, find_task_by_name("idle") != NULL);
}
KUNIT_CASE(sched_task_list_test, "sched.task_list");
