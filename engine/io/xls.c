/* xls.c — .xls workbooks (being written). */
#include "io/import_int.h"
int io_xls_read(ctx *c, ot_err *err) { return ot_err_set(err, OT_EINVAL, "%s: .xls workbooks are not read yet", c->path); }
