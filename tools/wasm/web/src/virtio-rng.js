// SPDX-License-Identifier: GPL-2.0
// @ts-check
//
// virtio-rng (device type 4), as tools/wasm/host/src/virtio/rng.rs: one
// queue of device-writable buffers, filled with crypto.getRandomValues as
// soon as the driver notifies, on the notifying worker.

export const DEVICE_ID = 4;
/** Most bytes given for one buffer (the driver asks for far fewer). */
const MAX_FILL = 64 << 10;
/** getRandomValues fills at most this many bytes at once. */
const RANDOM_CHUNK = 65536;

export class RngBackend {
	constructor() {
		this.name = 'virtio-rng';
		this.deviceId = DEVICE_ID;
		this.features = [0, 0];
		this.queueMax = [256];
		this.config = new Uint8Array(0);
	}

	process(dev, queue) {
		dev.service(queue, (q) => {
			for (let chain = q.pop(); chain; chain = q.pop()) {
				const u8 = q.memory.u8;
				let left = MAX_FILL;
				for (const seg of chain.writable) {
					const n = Math.min(seg.len, left);
					// getRandomValues refuses views of shared memory: an
					// unshared copy, then into the kernel's.
					const tmp = new Uint8Array(Math.min(n, RANDOM_CHUNK));
					for (let off = 0; off < n; off += tmp.length) {
						const part = tmp.subarray(0, Math.min(tmp.length, n - off));
						crypto.getRandomValues(part);
						u8.set(part, seg.addr + off);
					}
					left -= n;
				}
				q.pushUsed(chain.head, MAX_FILL - left);
			}
		});
	}
}
