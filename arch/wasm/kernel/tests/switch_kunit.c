// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the context switch (arch/wasm/kernel/switch.rs): every
 * task runs on a host thread of its own and __switch_to hands the virtual
 * CPU from one thread to the next.  The tests switch between tasks on one
 * CPU and across CPUs, move a task between CPUs, sleep on the timer, and
 * create and reap many short-lived tasks.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#define PING_PONG_ROUNDS	2000
#define SHORT_LIVED_TASKS	300
#define STACK_MAGIC_WORD	0x5741534dUL	/* "WASM" */

struct ping_pong {
	struct completion ping, pong, done[2];
	int rounds[2];
	int errors[2];
};

struct player {
	struct ping_pong *pp;
	int side;
};

static int ping_pong_thread(void *data)
{
	struct player *p = data;
	struct ping_pong *pp = p->pp;
	struct task_struct *self = current;
	/* Lives on this task's stack in linear memory across every switch. */
	unsigned long magic = STACK_MAGIC_WORD ^ (unsigned long)self;
	int i;

	for (i = 0; i < PING_PONG_ROUNDS; i++) {
		if (p->side == 0) {
			complete(&pp->ping);
			wait_for_completion(&pp->pong);
		} else {
			wait_for_completion(&pp->ping);
			complete(&pp->pong);
		}
		barrier_data(&magic);
		if (current != self ||
		    magic != (STACK_MAGIC_WORD ^ (unsigned long)self))
			pp->errors[p->side]++;
		pp->rounds[p->side]++;
	}
	complete(&pp->done[p->side]);
	return 0;
}

static void ping_pong(struct kunit *test, int cpu0, int cpu1)
{
	struct ping_pong *pp;
	struct player *players;
	struct task_struct *t[2];
	unsigned long switches_before, switches;
	int i;

	pp = kunit_kzalloc(test, sizeof(*pp), GFP_KERNEL);
	players = kunit_kcalloc(test, 2, sizeof(*players), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pp);
	KUNIT_ASSERT_NOT_NULL(test, players);
	init_completion(&pp->ping);
	init_completion(&pp->pong);

	for (i = 0; i < 2; i++) {
		init_completion(&pp->done[i]);
		players[i].pp = pp;
		players[i].side = i;
		t[i] = kthread_create_on_cpu(ping_pong_thread, &players[i],
					     i ? cpu1 : cpu0, "pingpong/%u");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t[i]));
		get_task_struct(t[i]);
	}
	switches_before = t[0]->nvcsw + t[1]->nvcsw;
	for (i = 0; i < 2; i++)
		wake_up_process(t[i]);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_NE(test,
				wait_for_completion_timeout(&pp->done[i], 60 * HZ),
				0);

	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, pp->rounds[i], PING_PONG_ROUNDS);
		KUNIT_EXPECT_EQ(test, pp->errors[i], 0);
	}
	switches = t[0]->nvcsw + t[1]->nvcsw - switches_before;
	/* Each round blocks at least one of the two on the other. */
	KUNIT_EXPECT_GE(test, switches, (unsigned long)PING_PONG_ROUNDS);
	kunit_info(test, "CPUs %d and %d: %lu voluntary switches\n",
		   cpu0, cpu1, switches);
	for (i = 0; i < 2; i++)
		put_task_struct(t[i]);
}

/* Two tasks on one CPU: the vCPU passes between their host threads. */
static void wasm_switch_same_cpu(struct kunit *test)
{
	int cpu = raw_smp_processor_id();

	ping_pong(test, cpu, cpu);
}

/* Two tasks on two CPUs waking each other with IPIs. */
static void wasm_switch_cross_cpu(struct kunit *test)
{
	int first = cpumask_first(cpu_online_mask);
	int second = cpumask_next(first, cpu_online_mask);

	if (second >= nr_cpu_ids)
		kunit_skip(test, "needs at least 2 online CPUs");
	ping_pong(test, first, second);
}

struct migration {
	int visits;
	int wrong_cpu;
	int failed_moves;
	struct completion done;
};

static int migrate_thread(void *data)
{
	struct migration *m = data;
	int round, cpu;

	for (round = 0; round < 5; round++) {
		for_each_online_cpu(cpu) {
			if (set_cpus_allowed_ptr(current, cpumask_of(cpu))) {
				m->failed_moves++;
				continue;
			}
			if (raw_smp_processor_id() != cpu ||
			    task_cpu(current) != cpu)
				m->wrong_cpu++;
			m->visits++;
		}
	}
	complete(&m->done);
	return 0;
}

/* One task visits every CPU in turn, its host thread following it. */
static void wasm_switch_migrate(struct kunit *test)
{
	struct migration *m;
	struct task_struct *t;

	m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	init_completion(&m->done);

	t = kthread_run(migrate_thread, m, "migrate_kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&m->done, 60 * HZ), 0);

	KUNIT_EXPECT_EQ(test, m->visits, 5 * (int)num_online_cpus());
	KUNIT_EXPECT_EQ(test, m->wrong_cpu, 0);
	KUNIT_EXPECT_EQ(test, m->failed_moves, 0);
}

/* Sleeping on the timer: the CPU idles and the tick wakes the task. */
static void wasm_switch_sleep(struct kunit *test)
{
	ktime_t start = ktime_get();
	unsigned long j = jiffies;
	s64 elapsed_ms;
	int i;

	for (i = 0; i < 5; i++)
		msleep(20);
	elapsed_ms = ktime_ms_delta(ktime_get(), start);

	KUNIT_EXPECT_GE(test, elapsed_ms, 100);
	KUNIT_EXPECT_LT(test, elapsed_ms, 10000);
	KUNIT_EXPECT_GE(test, jiffies - j, msecs_to_jiffies(100));
}

struct short_lived {
	unsigned long n;
	struct completion started;
};

static int short_lived_thread(void *data)
{
	struct short_lived *s = data;
	unsigned long n = s->n;

	complete(&s->started);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return (int)(n * 3 + 1);
}

/*
 * Many tasks created and stopped in turn: each exit must release its host
 * thread, or the host runs out of them, and the exit code must come back.
 * (A task stopped before it ever ran would return -EINTR, so each is
 * stopped only once it has started.)
 */
static void wasm_switch_exit(struct kunit *test)
{
	struct short_lived s;
	struct task_struct *t;
	int wrong = 0, ret;

	for (s.n = 0; s.n < SHORT_LIVED_TASKS; s.n++) {
		init_completion(&s.started);
		t = kthread_run(short_lived_thread, &s, "exit_kunit/%lu", s.n);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		wait_for_completion(&s.started);
		ret = kthread_stop(t);
		if (ret != (int)(s.n * 3 + 1))
			wrong++;
	}
	KUNIT_EXPECT_EQ(test, wrong, 0);
}

static struct kunit_case wasm_switch_cases[] = {
	KUNIT_CASE(wasm_switch_same_cpu),
	KUNIT_CASE(wasm_switch_cross_cpu),
	KUNIT_CASE(wasm_switch_migrate),
	KUNIT_CASE(wasm_switch_sleep),
	KUNIT_CASE(wasm_switch_exit),
	{}
};

static struct kunit_suite wasm_switch_suite = {
	.name = "wasm_switch",
	.test_cases = wasm_switch_cases,
};

kunit_test_suite(wasm_switch_suite);

MODULE_DESCRIPTION("KUnit tests of the WebAssembly context switch");
MODULE_LICENSE("GPL");
