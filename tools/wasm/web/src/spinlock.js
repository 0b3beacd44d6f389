// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// A small lock in one word of a SharedArrayBuffer, for device state that
// every worker shares (virtio-mmio.js).  0 is free, 1 held, 2 held with
// waiters (the futex mutex of Drepper's "Futexes Are Tricky").  Holders
// only copy a few bytes, so a contender spins a little, then sleeps in
// Atomics.wait where the thread may block (workers); where it may not
// (a page's main thread) it only spins.  The page itself never takes
// these locks.

const SPINS = 200;
/** Longest sleep at once, in ms: a lost wake-up only costs this much. */
const WAIT_MS = 20;

let canWait = true;

function pause(words, index) {
	if (canWait) {
		try {
			Atomics.wait(words, index, 2, WAIT_MS);
			return;
		} catch {
			canWait = false;	// a thread that must not block
		}
	}
}

/** Takes the lock in `words[index]`. */
export function lock(words, index) {
	let c = Atomics.compareExchange(words, index, 0, 1);
	if (c === 0)
		return;
	for (let n = 0; n < SPINS; n++) {
		c = Atomics.compareExchange(words, index, 0, 1);
		if (c === 0)
			return;
	}
	if (c !== 2)
		c = Atomics.exchange(words, index, 2);
	while (c !== 0) {
		pause(words, index);
		c = Atomics.exchange(words, index, 2);
	}
}

/** Releases the lock in `words[index]`. */
export function unlock(words, index) {
	if (Atomics.exchange(words, index, 0) === 2)
		Atomics.notify(words, index, 1);
}

/** Runs `f` holding the lock; returns what it returns. */
export function locked(words, index, f) {
	lock(words, index);
	try {
		return f();
	} finally {
		unlock(words, index);
	}
}
