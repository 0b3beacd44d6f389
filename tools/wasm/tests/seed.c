// SPDX-License-Identifier: GPL-2.0
/*
 * The seed of execve-fuzz: the smallest useful valid program.  It exits 0,
 * and exits 3 when run with an argument, so that the fuzzer can tell that
 * its argument vector arrived.
 */
int main(int argc, char **argv)
{
	(void)argv;
	return argc > 1 ? 3 : 0;
}
