/* mem_store.h — the cmocka fixture of the store tests: *state is a new
 * in-memory store (created with the schema), closed after the test.
 */
#ifndef OT_TEST_MEM_STORE_H
#define OT_TEST_MEM_STORE_H

#include "store/store.h"

static int mem_store_setup(void **state)
{
    ot_store *st = NULL;
    ot_err err;
    if (ot_store_open(":memory:", OT_STORE_CREATE, &st, &err) != OT_OK)
        return -1;
    *state = st;
    return 0;
}

static int mem_store_teardown(void **state)
{
    ot_store_close(*state);
    return 0;
}

/* A cmocka test with this fixture. */
#define MEM_STORE_TEST(f) cmocka_unit_test_setup_teardown(f, mem_store_setup, mem_store_teardown)

#endif
