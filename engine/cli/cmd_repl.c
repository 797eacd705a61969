/* cmd_repl.c — `ontrack repl`: interactive Lua with the engine loaded.
 *
 * On a terminal: GNU readline with persistent history, a `>` prompt that
 * becomes `>>` while a statement is incomplete, expressions printing their
 * value, Ctrl-C interrupting a computation (or clearing the line at the
 * prompt) without losing the session, Ctrl-D or .quit to leave, .help.
 * Otherwise (a pipe): statements are read and run line by line as `lua -`
 * would, printing nothing but results and errors.
 */
#include "cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "lua/host.h"

static const char help[] =
    "usage: ontrack repl [--as-of DATE|PERIOD] [--timeout S] [--memory MB]\n"
    "                    [--commit-partial]\n\n"
    "Interactive Lua with the engine preloaded as `ot` and the database as ot.db().\n"
    "An expression typed alone prints its value; an unfinished statement continues\n"
    "on a '>>' prompt.  Ctrl-C interrupts a computation, Ctrl-D or .quit leaves,\n"
    ".help [name] describes a function.  History is kept in\n"
    "$XDG_STATE_HOME/ontrack/history (else ~/.ontrack_history).  With standard\n"
    "input not a terminal it runs the statements it reads and prints only results\n"
    "and errors.  --timeout S stops each statement after S seconds and --memory MB\n"
    "caps the session's Lua and engine memory: the statement ends with an error,\n"
    "the session goes on (piped input: exit 1 at the end).  Each statement is one\n"
    "transaction: a statement that fails keeps none of its database writes\n"
    "(--commit-partial: each write commits at once).  Prompts and errors are\n"
    "coloured on a terminal unless NO_COLOR is set.\n";

static ot_host *volatile running; /* the host while a chunk runs, for SIGINT */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
    if (running)
        ot_host_interrupt(running);
}

/* readline's input: a byte from the terminal.  A Ctrl-C at the prompt
 * interrupts the read (no SA_RESTART); then the line is emptied and ended, so
 * readline returns "" with the terminal restored and the loop drops it. */
static int getc_hook(FILE *f)
{
    if (interrupted) { /* the signal came between two reads */
        rl_replace_line("", 0);
        return '\n';
    }
    for (;;) {
        unsigned char c;
        ssize_t k = read(fileno(f), &c, 1);
        if (k == 1)
            return c;
        if (k == 0 || errno != EINTR)
            return EOF;
        if (interrupted) {
            rl_replace_line("", 0);
            return '\n';
        }
    }
}

/* ---- completion ------------------------------------------------------------
 * The host proposes whole words (ot.series, s:yoy, series keys); readline
 * wants an array whose first entry is what replaces the word (the longest
 * common prefix) followed by the candidates. */

static ot_host *completing; /* the host, for the readline callback */

/* Candidates at v[1..n]; v[0] is left for the common prefix and room is
 * kept for the terminating NULL. */
typedef struct {
    char **v;
    size_t n, cap;
    int oom;
} cands;

static void add_cand(void *ud, const char *c)
{
    cands *cs = ud;
    if (cs->oom)
        return;
    if (cs->n + 3 > cs->cap) {
        size_t cap = cs->cap ? 2 * cs->cap : 16;
        char **v = realloc(cs->v, cap * sizeof *v);
        if (!v) {
            cs->oom = 1;
            return;
        }
        cs->v = v;
        cs->cap = cap;
    }
    if (!(cs->v[cs->n + 1] = strdup(c)))
        cs->oom = 1;
    else
        cs->n++;
}

static char **complete(const char *text, int start, int end)
{
    (void)text;
    (void)start;
    rl_attempted_completion_over = 1; /* never fall back to file names */
    rl_completion_append_character = '\0'; /* reset by readline before each call */
    cands cs = {NULL, 0, 0, 0};
    char *line = strndup(rl_line_buffer, (size_t)end);
    if (line && completing)
        ot_host_complete(completing, line, add_cand, &cs);
    free(line);
    size_t lcp = cs.n ? strlen(cs.v[1]) : 0;
    for (size_t i = 2; i <= cs.n; i++) {
        size_t k = 0;
        while (k < lcp && cs.v[i][k] == cs.v[1][k])
            k++;
        lcp = k;
    }
    if (!cs.oom && cs.n && (cs.v[0] = strndup(cs.v[1], lcp))) {
        cs.v[cs.n + 1] = NULL;
        return cs.v;
    }
    for (size_t i = 1; i <= cs.n; i++)
        free(cs.v[i]);
    free(cs.v);
    return NULL;
}

/* The history file: $XDG_STATE_HOME/ontrack/history, else ~/.ontrack_history.
 * Creates the directory.  Returns 0 and writes buf, or -1 when no home. */
static int history_path(char *buf, size_t cap)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    /* a relative XDG_STATE_HOME is invalid (XDG Base Directory spec): ignored;
     * the folders missing on the way are made, mode 0700, as mkdir -p would */
    if (state && state[0] == '/' && (size_t)snprintf(buf, cap, "%s/ontrack", state) < cap) {
        int ok = 1;
        for (char *p = buf + 1; ok && *p; p++)
            if (*p == '/') {
                *p = '\0';
                ok = mkdir(buf, 0700) == 0 || errno == EEXIST;
                *p = '/';
            }
        if (ok && (mkdir(buf, 0700) == 0 || errno == EEXIST)) {
            snprintf(buf, cap, "%s/ontrack/history", state);
            return 0;
        }
    }
    if (!home || !*home)
        return -1;
    snprintf(buf, cap, "%s/.ontrack_history", home);
    return 0;
}

/* ANSI colours, only on a terminal and never with NO_COLOR set
 * (no-color.org) or on a dumb terminal. */
static int colour;

static int wants_colour(int fd)
{
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(fd) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
}

/* Evaluates input; on an error prints it (in red on a colour terminal). */
static double statement_limit; /* --timeout, seconds (0: none) */

/* Runs one statement; its --timeout also reaches a long engine call. */
static int eval(ot_host *h, const char *input, int *incomplete)
{
    ot_err err;
    ot_err_clear(&err);
    running = h;
    cli_watchdog_soft(statement_limit);
    int rc = ot_host_eval(h, input, incomplete, &err);
    cli_watchdog_soft(0);
    running = NULL;
    if (rc != OT_OK && ot_host_exit_status(h) <= 0) { /* not os.exit(N)'s own end */
        const char *text = ot_host_error_text(h); /* whole, also past err.msg's size */
        fprintf(stderr, colour ? "\033[31m%s\033[0m\n" : "%s\n", text ? text : err.msg);
        fflush(stderr);
    }
    return rc;
}

/* Input ended inside a statement: reports its syntax error ("'end'
 * expected near <eof>"), as lua does; for an expression left open (a table
 * over several lines) the error of `return <input>` ("'}' expected near
 * <eof>"), which says what is missing.  Neither form compiles (the REPL
 * would have run it), so nothing runs here.  Returns 1 when there was one. */
static int unfinished(ot_host *h, const char *input)
{
    static const char eof[] = "<eof>";
    ot_err err;
    ot_err_clear(&err);
    if (ot_host_run_string(h, input, "=stdin", &err) == OT_OK)
        return 0;
    size_t n = strlen(err.msg);
    if (n < sizeof eof - 1 || strcmp(err.msg + n - (sizeof eof - 1), eof) != 0) {
        size_t k = strlen(input);
        char *ret = malloc(k + sizeof "return ");
        if (ret) {
            memcpy(ret, "return ", sizeof "return " - 1);
            memcpy(ret + sizeof "return " - 1, input, k + 1);
            ot_err e2;
            ot_err_clear(&e2);
            if (ot_host_run_string(h, ret, "=stdin", &e2) != OT_OK)
                err = e2;
            free(ret);
        }
    }
    fprintf(stderr, colour ? "\033[31m%s\033[0m\n" : "%s\n", err.msg);
    fflush(stderr);
    return 1;
}

/* A growable input buffer: the lines of one statement. */
typedef struct {
    char *p;
    size_t n, cap;
} text;

static int append(text *t, const char *line)
{
    size_t k = strlen(line);
    if (t->n + k + 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        while (cap < t->n + k + 2)
            cap *= 2;
        char *p = realloc(t->p, cap);
        if (!p)
            return -1;
        t->p = p;
        t->cap = cap;
    }
    if (t->n)
        t->p[t->n++] = '\n';
    memcpy(t->p + t->n, line, k + 1);
    t->n += k;
    return 0;
}

/* Dot commands; returns 1 when the line was one (and *quit when to leave). */
static int dot_command(ot_host *h, const char *line, int *quit)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (line[0] != '.')
        return 0;
    if (strcmp(line, ".quit") == 0 || strcmp(line, ".exit") == 0) {
        *quit = 1;
        return 1;
    }
    if (strncmp(line, ".help", 5) == 0 && (line[5] == '\0' || line[5] == ' ')) {
        const char *name = line + 5;
        while (*name == ' ')
            name++;
        size_t len = strlen(name);
        while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
            len--;
        /* the name as a Lua string literal, every byte escaped that could
         * end it or break it: a quote or backslash in it is a name, not code */
        char chunk[600];
        size_t o = (size_t)snprintf(chunk, sizeof chunk, "ot.help(%s", len ? "\"" : "");
        for (size_t i = 0; i < len && o + 8 < sizeof chunk; i++) {
            unsigned char c = (unsigned char)name[i];
            if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f)
                o += (size_t)snprintf(chunk + o, sizeof chunk - o, "\\%03u", c);
            else
                chunk[o++] = (char)c;
        }
        snprintf(chunk + o, sizeof chunk - o, "%s)", len ? "\"" : "");
        int inc;
        eval(h, chunk, &inc);
        return 1;
    }
    fprintf(stderr, "unknown command '%s' (.help, .quit)\n", line);
    return 1;
}

/* The exit code after a statement called os.exit: its status, or the exit
 * code of the error committing its writes (status 0). */
static int exit_code(const ot_host *h, int rc)
{
    int status = ot_host_exit_status(h);
    return status > 0 || rc == OT_OK ? status : ot_err_exit_code(rc);
}

static int interactive(ot_host *h, const char *db)
{
    char hist[4096];
    int have_hist = history_path(hist, sizeof hist) == 0;
    rl_readline_name = "ontrack";
    rl_attempted_completion_function = complete;
    rl_completer_word_break_characters = (char *)" \t\n\"'`@$><=;|&{(,+-*/%^~#[]";
    completing = h;
    rl_catch_signals = 0; /* SIGINT is ours: see getc_hook */
    rl_getc_function = getc_hook;
    using_history();
    /* A multi-line statement is one history entry, also across sessions:
     * the file marks each entry with a timestamp line, and lines up to the
     * next mark belong to the same entry. */
    history_comment_char = '#';
    history_write_timestamps = 1;
    history_multiline_entries = 1;
    if (have_hist)
        read_history(hist);
    printf("ontrack %s — Lua 5.4 with the engine as `ot`; database %s\n"
           "Type .help for help, .quit or Ctrl-D to leave.\n",
           ONTRACK_VERSION_STRING, db);
    text buf = {0};
    int quit = 0, code = 0;
    while (!quit) {
        interrupted = 0;
        /* \001 and \002 tell readline the escapes take no room */
        const char *prompt = colour ? (buf.n ? "\001\033[36m\002>>\001\033[0m\002 "
                                             : "\001\033[36m\002>\001\033[0m\002 ")
                                    : (buf.n ? ">> " : "> ");
        char *line = readline(prompt);
        if (!line) { /* Ctrl-D; inside a statement, its syntax error first */
            putchar('\n');
            fflush(stdout);
            if (buf.n)
                unfinished(h, buf.p);
            break;
        }
        if (interrupted) { /* Ctrl-C at the prompt: drop the statement */
            free(line);
            buf.n = 0;
            continue;
        }
        if (!buf.n && dot_command(h, line, &quit)) {
            if (!quit) /* .help is worth recalling, .quit is not */
                add_history(line);
            free(line);
            continue;
        }
        int bad = append(&buf, line);
        free(line);
        if (bad) {
            fprintf(stderr, "out of memory\n");
            buf.n = 0;
            continue;
        }
        int incomplete = 0;
        int rc = eval(h, buf.p, &incomplete);
        if (!incomplete) {
            if (buf.n)
                add_history(buf.p);
            buf.n = 0;
        }
        if (ot_host_exit_status(h) >= 0) { /* os.exit: leave, with its status */
            code = exit_code(h, rc);
            quit = 1;
        }
    }
    free(buf.p);
    if (have_hist) {
        stifle_history(1000);
        write_history(hist);
    }
    return code;
}

/* Not a terminal: read lines, run each complete statement, print results. */
static int piped(ot_host *h)
{
    text buf = {0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t k;
    int rc = 0;
    while ((k = getline(&line, &cap, stdin)) >= 0) {
        if (k > 0 && line[k - 1] == '\n')
            line[k - 1] = '\0';
        int quit = 0;
        if (!buf.n && dot_command(h, line, &quit)) {
            if (quit)
                break;
            continue;
        }
        if (append(&buf, line) != 0) {
            rc = 1;
            break;
        }
        int incomplete = 0;
        int st = eval(h, buf.p, &incomplete);
        if (ot_host_exit_status(h) >= 0) { /* os.exit: the rest is not run */
            free(line);
            free(buf.p);
            return exit_code(h, st);
        }
        if (st != OT_OK)
            rc = 1;
        if (!incomplete)
            buf.n = 0;
    }
    if (buf.n && unfinished(h, buf.p)) /* input ended inside a statement */
        rc = 1;
    free(line);
    free(buf.p);
    return rc;
}

int cmd_repl(cli_global *g, int argc, char **argv)
{
    const char *as_of = NULL, *timeout = NULL, *memory = NULL;
    int partial = 0;
    const cli_opt opts[] = {{"as-of", 1, &as_of, NULL},
                            {"timeout", 1, &timeout, NULL},
                            {"memory", 1, &memory, NULL},
                            {"commit-partial", 0, NULL, &partial},
                            {NULL, 0, NULL, NULL}};
    char **pos = argv;
    int npos, rc;
    if ((rc = cli_args("repl", help, argc, argv, opts, 0, g, &npos)) != CLI_GO)
        return rc;
    if (npos > 0)
        return cli_usage_error("repl", "unexpected argument '%s' (ontrack run runs a script)", pos[0]);
    ot_host *h;
    if ((rc = cli_host_open(g, "repl", as_of, timeout, memory, partial, &h)))
        return rc;
    size_t bytes;
    cli_parse_limits("repl", timeout, memory, &statement_limit, &bytes); /* checked above */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    colour = wants_colour(STDERR_FILENO);
    rc = isatty(STDIN_FILENO) ? interactive(h, cli_db_path(g)) : piped(h);
    signal(SIGINT, SIG_DFL);
    ot_host_free(h);
    return rc;
}
