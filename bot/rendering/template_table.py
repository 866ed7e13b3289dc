"""Which template renders which result: one table for every platform."""

from __future__ import annotations

from commands.results import (
    ActionRecorded,
    AuditTrail,
    CaseDetail,
    CaseList,
    ChannelChecked,
    EraseConfirmation,
    Erased,
    HelpResult,
    HomeResult,
    Linked,
    ReportSaved,
    Result,
)

TEMPLATE_OF: dict[type, str] = {
    HelpResult: "help",
    CaseDetail: "case_detail",
    CaseList: "case_list",
    ReportSaved: "report_saved",
    EraseConfirmation: "erase_confirmation",
    Erased: "erased",
    AuditTrail: "audit_trail",
    ChannelChecked: "channel_checked",
    ActionRecorded: "action_done",
    Linked: "linked",
    HomeResult: "home",
}


def template_for(result: Result) -> str:
    return TEMPLATE_OF[type(result)]
