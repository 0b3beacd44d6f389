// SPDX-License-Identifier: MIT
/* Reinitialize the calling thread's TLS from the module's image. */
#include "pthread_impl.h"
#include "../../thread/wasm32/wasm_thread.h"

void __reset_tls()
{
	pthread_t self = __pthread_self();

	if (self->dtv[0])
		__wasm_init_tls((void *)self->dtv[1]);
}
