"""The hub's report routes: communes send their monthly figures, the province reads them added up.

A month is a calendar month (``2026-11``) or an official reporting month (``ky:2026-11``: 15/10–14/11,
Nghị định 09/2019/NĐ-CP, Điều 12); a quarter or year is added up from months of the same kind.

Mounted by ``motcua.hub.api.app.create_app``; the logic is ``motcua.hub.province.reports_store``'s.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from motcua.hub.api.deps import PROBLEMS, AdminDep, DeviceDep, HubDep
from motcua.hub.errors import check_storable
from motcua.hub.province import reports_store

MONTH_PATTERN = r"^(ky:)?\d{4}-(0[1-9]|1[0-2])$"
PERIOD_PATTERN = r"^(ky:)?\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$"

PERIOD_HELP = "2026-11, 2026-Q4, 2026-H2, 2026, or the official ky:2026-11, ky:2026-Q4, ky:2026-H2, ky:2026"

router = APIRouter()


class ReportIn(BaseModel):
    protocol: Literal[1]
    period: str = Field(pattern=MONTH_PATTERN,
                        description="the month the figures are for: 2026-11, or the official month ky:2026-11")
    payload: dict[str, Any] = Field(description="motcua.reports.payload.report_payload() for that month "
                                                "(schema motcua.report/1): counts only, no personal data")


class ReportOut(BaseModel):
    ack: Literal["report"]
    period: str
    stored_at: str
    status: Literal["stored", "unchanged", "older"]


@router.post("/api/v1/reports", response_model=ReportOut, responses=PROBLEMS, tags=["sync"],
             summary="Send the commune's figures for one month (kept as the latest for commune and month)")
async def post_report(body: ReportIn, who: DeviceDep, hub: HubDep) -> dict[str, Any]:
    check_storable(body.payload, "payload")
    stored = await run_in_threadpool(reports_store.store_report, hub.db, who.commune_code, who.id,
                                     body.period, body.payload)
    return stored.to_dict()


@router.get("/api/v1/admin/reports", responses=PROBLEMS, tags=["province"],
            summary="The communes' figures added up for a month, quarter or year: per province, commune, field")
def get_reports(_: AdminDep, hub: HubDep,
                period: Annotated[str, Query(pattern=PERIOD_PATTERN, description=PERIOD_HELP)],
                commune: Annotated[str | None, Query(max_length=64, description="one commune's code only")] = None,
                ) -> dict[str, Any]:
    check_storable(commune, "commune")
    return reports_store.aggregate(hub.db, reports_store.parse_aggregate_period(period), commune)
