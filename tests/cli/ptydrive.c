/* ptydrive.c — drives a program through a pseudo-terminal, as a person would.
 *
 * usage: ptydrive SCRIPT PROGRAM [ARGS...]
 * SCRIPT lines: `send TEXT` types TEXT (escapes \n \r \t \e \\ and \xHH, so
 * \x03 is Ctrl-C and \x04 Ctrl-D); `expect TEXT` waits up to 10 s until the
 * output since the last expect contains TEXT; `wait` waits for the program
 * to exit (status 0 expected); `sleep MS` reads output for MS milliseconds
 * (to let a command start before a Ctrl-C); `#` starts a comment.  The
 * program sees TERM=dumb, or $PTY_TERM when set.  Fails (exit 1) with the
 * output seen so far when an expectation is not met.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char seen[1 << 20];
static size_t nseen, from; /* output so far; start of the part not yet matched */

static void die(const char *what, const char *arg)
{
    fprintf(stderr, "ptydrive: %s%s%s\n--- output since the last match (control bytes dropped):\n%.*s\n--- end\n", what,
            arg ? " " : "", arg ? arg : "", (int)(nseen - from), seen + from);
    exit(1);
}

/* Reads whatever the program printed within ms milliseconds. */
static int pump(int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, ms) <= 0)
        return 0;
    char buf[4096];
    ssize_t k = read(fd, buf, sizeof buf);
    if (k <= 0)
        return -1;
    /* Keep what a person reads: drop the bell, carriage returns and other
     * control bytes (readline's redisplay), keep newlines and UTF-8. */
    for (ssize_t i = 0; i < k && nseen + 1 < sizeof seen; i++)
        if ((unsigned char)buf[i] >= 0x20 || buf[i] == '\n' || buf[i] == '\t')
            seen[nseen++] = buf[i];
    seen[nseen] = '\0';
    return 1;
}

static size_t unescape(const char *s, char *out)
{
    size_t n = 0;
    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            out[n++] = *s;
            continue;
        }
        switch (*++s) {
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'e': out[n++] = 27; break;
        case 'x': {
            char hex[3] = {s[1], s[1] ? s[2] : 0, 0};
            out[n++] = (char)strtol(hex, NULL, 16);
            s += 2;
            break;
        }
        default: out[n++] = *s;
        }
    }
    return n;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: ptydrive SCRIPT PROGRAM [ARGS...]\n");
        return 2;
    }
    FILE *script = fopen(argv[1], "r");
    if (!script)
        die("cannot open", argv[1]);
    struct winsize ws = {24, 100, 0, 0};
    int fd;
    pid_t pid = forkpty(&fd, NULL, NULL, &ws);
    if (pid < 0)
        die("forkpty failed", strerror(errno));
    if (pid == 0) {
        const char *term = getenv("PTY_TERM"); /* the terminal type to claim */
        setenv("TERM", term && *term ? term : "dumb", 1);
        execvp(argv[2], argv + 2);
        _exit(127);
    }
    char line[4096], buf[4096];
    while (fgets(line, sizeof line, script)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        if (strncmp(line, "send ", 5) == 0) {
            size_t n = unescape(line + 5, buf);
            if (write(fd, buf, n) != (ssize_t)n)
                die("write failed", NULL);
            pump(fd, 50);
        } else if (strncmp(line, "expect ", 7) == 0) {
            size_t n = unescape(line + 7, buf);
            buf[n] = '\0';
            double end = now() + 10;
            char *hit;
            while (!(hit = strstr(seen + from, buf))) {
                if (now() > end || pump(fd, 100) < 0)
                    die("expected", line + 7);
            }
            from = (size_t)(hit - seen) + n;
        } else if (strncmp(line, "sleep ", 6) == 0) {
            double end = now() + atoi(line + 6) / 1000.0;
            while (now() < end)
                pump(fd, 20);
        } else if (strcmp(line, "wait") == 0) {
            double end = now() + 10;
            int st;
            while (waitpid(pid, &st, WNOHANG) == 0) {
                if (now() > end)
                    die("program did not exit", NULL);
                pump(fd, 100);
            }
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
                die("program exited with a failure status", NULL);
            return 0;
        } else {
            die("bad script line:", line);
        }
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return 0;
}
