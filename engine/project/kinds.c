/* kinds.c — the status vocabulary: one table of names and labels. */
#include "project/kinds.h"

#include <string.h>

/* In the order of ot_proj_status; a new status is one line here. */
static const ot_status_desc statuses[] = {
    {OT_STATUS_MET, "met", "met", "已达成"},
    {OT_STATUS_ON_TRACK, "on_track", "on track", "有望达成"},
    {OT_STATUS_AT_RISK, "at_risk", "at risk", "存在风险"},
    {OT_STATUS_OFF_TRACK, "off_track", "off track", "偏离目标"},
    {OT_STATUS_MISSED, "missed", "missed", "未达成"},
    {OT_STATUS_NO_DATA, "no_data", "no data", "无数据"},
    {OT_STATUS_UNQUANTIFIED, "unquantified", "unquantified", "未量化"},
};
#define NSTATUS (sizeof statuses / sizeof *statuses)

const ot_status_desc *ot_status_desc_of(ot_proj_status s)
{
    return (unsigned)s < NSTATUS ? &statuses[s] : &statuses[OT_STATUS_NO_DATA];
}

const char *ot_proj_status_name(ot_proj_status s)
{
    return (unsigned)s < NSTATUS ? statuses[s].name : "?";
}

int ot_proj_status_parse(const char *name, ot_proj_status *out)
{
    for (size_t i = 0; name && i < NSTATUS; i++)
        if (strcmp(name, statuses[i].name) == 0) {
            *out = statuses[i].status;
            return 0;
        }
    return -1;
}

const char *ot_status_label(ot_proj_status s, int zh)
{
    if ((unsigned)s >= NSTATUS)
        return "?";
    return zh ? statuses[s].zh : statuses[s].en;
}
