// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the Rust spinlocks (arch/wasm/kernel/spinlock.rs): the
 * three lock states, mutual exclusion under contention from every CPU, and
 * a waiter that sleeps in memory.atomic.wait32 being woken by the unlock.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <asm/spinlock.h>

#define CONTENTION_ROUNDS	20000

static void wasm_spinlock_states(struct kunit *test)
{
	arch_spinlock_t lock = __ARCH_SPIN_LOCK_UNLOCKED;

	KUNIT_EXPECT_TRUE(test, arch_spin_value_unlocked(lock));
	KUNIT_EXPECT_FALSE(test, arch_spin_is_locked(&lock));

	KUNIT_EXPECT_EQ(test, arch_spin_trylock(&lock), 1);
	KUNIT_EXPECT_TRUE(test, arch_spin_is_locked(&lock));
	KUNIT_EXPECT_FALSE(test, arch_spin_is_contended(&lock));
	KUNIT_EXPECT_EQ(test, arch_spin_trylock(&lock), 0);
	arch_spin_unlock(&lock);
	KUNIT_EXPECT_FALSE(test, arch_spin_is_locked(&lock));

	arch_spin_lock(&lock);
	KUNIT_EXPECT_TRUE(test, arch_spin_is_locked(&lock));
	KUNIT_EXPECT_EQ(test, arch_spin_trylock(&lock), 0);
	arch_spin_unlock(&lock);
	KUNIT_EXPECT_TRUE(test, arch_spin_value_unlocked(lock));
}

struct contention {
	arch_spinlock_t lock;
	int owner;		/* CPU inside the critical section, or -1 */
	unsigned long counter;	/* only written under the lock */
	atomic_t overlaps;	/* entries that found another owner */
	atomic_t contended;	/* trylocks that found the lock taken */
	atomic_t ready;		/* threads at the start line */
	atomic_t running;
	unsigned int threads;
	struct completion done;
};

static int contention_thread(void *data)
{
	struct contention *c = data;
	int cpu, i, j;

	/* Start together, so that the threads overlap. */
	atomic_inc(&c->ready);
	while (atomic_read(&c->ready) < c->threads)
		cpu_relax();

	for (i = 0; i < CONTENTION_ROUNDS; i++) {
		preempt_disable();
		cpu = smp_processor_id();
		if (!arch_spin_trylock(&c->lock)) {
			atomic_inc(&c->contended);
			arch_spin_lock(&c->lock);
		}
		if (READ_ONCE(c->owner) != -1)
			atomic_inc(&c->overlaps);
		WRITE_ONCE(c->owner, cpu);
		/* A non-atomic increment: any overlap loses updates. */
		WRITE_ONCE(c->counter, READ_ONCE(c->counter) + 1);
		for (j = 0; j < 20; j++)
			cpu_relax();
		WRITE_ONCE(c->owner, -1);
		arch_spin_unlock(&c->lock);
		preempt_enable();
	}
	if (atomic_dec_and_test(&c->running))
		complete(&c->done);
	return 0;
}

/* One pass: one thread per online CPU hammers the same lock. */
static void contention_pass(struct kunit *test, struct contention *c)
{
	struct task_struct *t;
	int cpu;

	c->lock = (arch_spinlock_t)__ARCH_SPIN_LOCK_UNLOCKED;
	c->owner = -1;
	c->counter = 0;
	c->threads = num_online_cpus();
	atomic_set(&c->ready, 0);
	atomic_set(&c->running, c->threads);
	init_completion(&c->done);

	for_each_online_cpu(cpu) {
		t = kthread_create_on_cpu(contention_thread, c, cpu,
					  "spin_kunit/%u");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		wake_up_process(t);
	}
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&c->done, 60 * HZ), 0);

	KUNIT_EXPECT_EQ(test, c->counter,
			(unsigned long)c->threads * CONTENTION_ROUNDS);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->overlaps), 0);
	KUNIT_EXPECT_FALSE(test, arch_spin_is_locked(&c->lock));
}

/*
 * Mutual exclusion under contention from every CPU.  The host may run the
 * threads one after the other on a loaded machine, so passes repeat (up
 * to 10) until the lock was seen contended at least once.
 */
static void wasm_spinlock_contention(struct kunit *test)
{
	struct contention *c;
	unsigned int cpus = num_online_cpus();
	int pass;

	if (cpus < 2)
		kunit_skip(test, "needs at least 2 online CPUs, has %u", cpus);

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	atomic_set(&c->overlaps, 0);
	atomic_set(&c->contended, 0);
	for (pass = 1; pass <= 10; pass++) {
		contention_pass(test, c);
		if (atomic_read(&c->contended))
			break;
	}
	KUNIT_EXPECT_GT(test, atomic_read(&c->contended), 0);
	kunit_info(test, "%u CPUs, %d rounds each, %d passes, lock contended %d times\n",
		   cpus, CONTENTION_ROUNDS, min(pass, 10),
		   atomic_read(&c->contended));
}

struct sleeper {
	arch_spinlock_t lock;
	int released;		/* set by the holder just before unlocking */
	int saw_released;	/* what the waiter read once it got the lock */
	struct completion started;
	struct completion done;
};

static int sleeper_thread(void *data)
{
	struct sleeper *s = data;

	complete(&s->started);
	preempt_disable();
	arch_spin_lock(&s->lock);
	s->saw_released = READ_ONCE(s->released);
	arch_spin_unlock(&s->lock);
	preempt_enable();
	complete(&s->done);
	return 0;
}

/*
 * The test holds the lock, a thread on another CPU blocks on it and marks
 * it contended (it sleeps in wait32), and the unlock must wake it.
 */
static void wasm_spinlock_sleeper_woken(struct kunit *test)
{
	struct sleeper *s;
	struct task_struct *t;
	unsigned long deadline;
	int self, cpu, other = -1;
	bool contended = false;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs at least 2 online CPUs");

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->lock = (arch_spinlock_t)__ARCH_SPIN_LOCK_UNLOCKED;
	init_completion(&s->started);
	init_completion(&s->done);

	self = get_cpu();
	for_each_online_cpu(cpu) {
		if (cpu != self) {
			other = cpu;
			break;
		}
	}
	put_cpu();
	KUNIT_ASSERT_GE(test, other, 0);

	arch_spin_lock(&s->lock);
	t = kthread_create_on_cpu(sleeper_thread, s, other, "spin_sleeper/%u");
	if (IS_ERR(t)) {
		arch_spin_unlock(&s->lock);
		KUNIT_FAIL(test, "kthread_create_on_cpu: %ld", PTR_ERR(t));
		return;
	}
	wake_up_process(t);
	wait_for_completion(&s->started);

	deadline = jiffies + 10 * HZ;
	while (time_before(jiffies, deadline)) {
		if (arch_spin_is_contended(&s->lock)) {
			contended = true;
			break;
		}
		usleep_range(100, 200);
	}
	WRITE_ONCE(s->released, 1);
	arch_spin_unlock(&s->lock);

	KUNIT_EXPECT_TRUE(test, contended);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&s->done, 10 * HZ), 0);
	KUNIT_EXPECT_EQ(test, s->saw_released, 1);
	KUNIT_EXPECT_FALSE(test, arch_spin_is_locked(&s->lock));
}

static struct kunit_case wasm_spinlock_cases[] = {
	KUNIT_CASE(wasm_spinlock_states),
	KUNIT_CASE(wasm_spinlock_contention),
	KUNIT_CASE(wasm_spinlock_sleeper_woken),
	{}
};

static struct kunit_suite wasm_spinlock_suite = {
	.name = "wasm_spinlock",
	.test_cases = wasm_spinlock_cases,
};

kunit_test_suite(wasm_spinlock_suite);

MODULE_DESCRIPTION("KUnit tests of the WebAssembly spinlocks");
MODULE_LICENSE("GPL");
