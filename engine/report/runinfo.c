/* runinfo.c — a stored run's record in Chinese or English (runinfo.h). */
#include "report/runinfo.h"

#include <string.h>

#include "report/words.h"

static const char *or_dash(const char *s)
{
    return s && s[0] ? s : "-";
}

const char *ot_report_run_status(const char *s, ot_report_lang lang)
{
    static const char *const en[] = {"ok", "failed", "running", "interrupted"};
    static const char *const zh[] = {"成功", "失败", "运行中", "已中断"};
    for (size_t i = 0; s && i < sizeof en / sizeof *en; i++)
        if (strcmp(s, en[i]) == 0)
            return lang == OT_LANG_ZH ? zh[i] : en[i];
    return or_dash(s);
}

/* Prints "label" and why, its later lines (a traceback) indented by two
 * spaces as in the job's log. */
static void print_error(FILE *f, const char *label, const char *why)
{
    fputs(label, f);
    for (const char *p = why; *p;) {
        size_t k = strcspn(p, "\n");
        fwrite(p, 1, k, f);
        fputc('\n', f);
        p += k;
        if (*p == '\n' && *++p)
            fputs("  ", f);
    }
}

static int written(FILE *f, ot_err *err)
{
    return ferror(f) ? ot_err_set(err, OT_EIO, "cannot write the run's record") : OT_OK;
}

int ot_report_run_head(const ot_report_run_info *r, ot_report_lang lang, FILE *f, ot_err *err)
{
    if (lang == OT_LANG_ZH) {
        char asof[64];
        report_fmt_period(r->as_of, lang, asof, sizeof asof);
        fprintf(f, "运行 %lld  %s  %s  %s %s  开始 %s  结束 %s\n", (long long)r->id,
                or_dash(r->job), ot_report_run_status(r->status, lang), report_words_of(lang)->as_of,
                or_dash(asof), or_dash(r->started), or_dash(r->finished));
        fprintf(f, "引擎 %s  脚本哈希 %s  数据哈希 %s\n", or_dash(r->engine),
                or_dash(r->scripts_hash), or_dash(r->data_hash));
        if (r->error && r->error[0])
            print_error(f, "错误：", r->error);
        fputc('\n', f);
    } else {
        fprintf(f, "run %lld  %s  %s  as of %s  started %s  finished %s\n", (long long)r->id,
                or_dash(r->job), ot_report_run_status(r->status, lang), or_dash(r->as_of),
                or_dash(r->started), or_dash(r->finished));
        fprintf(f, "engine %s  scripts %s  data %s\n", or_dash(r->engine),
                or_dash(r->scripts_hash), or_dash(r->data_hash));
        if (r->error && r->error[0])
            print_error(f, "error: ", r->error);
        fputc('\n', f);
    }
    return written(f, err);
}

int ot_report_run_none(const ot_report_run_info *r, ot_report_lang lang, FILE *f, ot_err *err)
{
    static const char *const st[] = {"ok", "running", "interrupted", NULL};
    static const char *const en[] = {"the job projects no targets", "the run is not finished",
                                     "the run was interrupted", "the run failed"};
    static const char *const zh[] = {"该任务不测算目标", "运行尚未结束", "运行被中断",
                                     "运行失败"};
    size_t i = 0;
    while (st[i] && !(r->status && strcmp(r->status, st[i]) == 0))
        i++;
    if (lang == OT_LANG_ZH)
        fprintf(f, "无测算结果（%s）\n", zh[i]);
    else
        fprintf(f, "no projections (%s)\n", en[i]);
    return written(f, err);
}

int ot_report_moves_heading(size_t m, const char *job, ot_report_lang lang, FILE *f, ot_err *err)
{
    if (lang == OT_LANG_ZH)
        fprintf(f, "\n测算的变化（%s最近%zu次成功运行，按数据截至日期排列）：\n\n", or_dash(job), m);
    else
        fprintf(f, "\nhow the projections moved (the last %zu ok runs of %s, by as-of):\n\n", m,
                or_dash(job));
    return written(f, err);
}
