/* xlsx.c — .xlsx workbooks (being written). */
#include "io/import_int.h"
int io_xlsx_read(ctx *c, ot_err *err) { return ot_err_set(err, OT_EINVAL, "%s: .xlsx workbooks are not read yet", c->path); }
