"""Which template renders which result: one table for every platform."""

from __future__ import annotations

from commands.results import CaseDetail, CaseList, HelpResult, ReportSaved, Result

TEMPLATE_OF: dict[type, str] = {
    HelpResult: "help",
    CaseDetail: "case_detail",
    CaseList: "case_list",
    ReportSaved: "report_saved",
}


def template_for(result: Result) -> str:
    return TEMPLATE_OF[type(result)]
