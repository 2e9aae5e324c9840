/* cancel.c — see cancel.h. */
#include "base/cancel.h"

#include <stdatomic.h>

static atomic_int cancelled;

void fms_cancel_request(void)
{
    atomic_store_explicit(&cancelled, 1, memory_order_relaxed);
}

int fms_cancel_requested(void)
{
    return atomic_load_explicit(&cancelled, memory_order_relaxed);
}

void fms_cancel_clear(void)
{
    atomic_store_explicit(&cancelled, 0, memory_order_relaxed);
}

fms_status fms_cancel_poll(fms_error *err)
{
    if (!fms_cancel_requested())
        return FMS_OK;
    return fms_error_set(err, FMS_EINTR, 0, "interrupted");
}
