/* cmd_init.c — `ontrack init`: create or migrate the database. */
#include "cli/cli.h"

static const char help[] =
    "usage: ontrack [--db PATH] init\n\n"
    "Creates the database (default $ONTRACK_DB, else ./ontrack.db) or migrates an\n"
    "existing one to this version's schema.  Safe to run again.\n";

int cmd_init(cli_global *g, int argc, char **argv)
{
    static const cli_opt opts[] = {{NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("init", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos > 0)
        return cli_usage_error("init", "unexpected argument '%s'", pos[0]);
    ot_store *st;
    if ((rc = cli_open_store(g, 0, &st)))
        return rc;
    printf("%s: schema version %d\n", ot_store_path(st), OT_STORE_SCHEMA_VERSION);
    ot_store_close(st);
    return 0;
}
