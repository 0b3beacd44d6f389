/* SPDX-License-Identifier: MIT */
/* Kernel semid64_ds of the generic 32-bit ABI, little-endian: the
 * unsigned long sem_nsems is read through its low half. */
struct semid_ds {
	struct ipc_perm sem_perm;
	unsigned long __sem_otime_lo;
	unsigned long __sem_otime_hi;
	unsigned long __sem_ctime_lo;
	unsigned long __sem_ctime_hi;
	unsigned short sem_nsems;
	char __sem_nsems_pad[sizeof(long)-sizeof(short)];
	long __unused3;
	long __unused4;
	time_t sem_otime;
	time_t sem_ctime;
};
