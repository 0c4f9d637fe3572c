"""Downloads of the official reports (generated on request from stored data)."""

from __future__ import annotations

from litestar import Response, Router, get

from backend.config import Settings
from backend.core.access import Principal
from backend.core.file_types import DOCX, XLSX
from backend.db.database import Database
from backend.services import reports
from backend.web.downloads import content_disposition
from shared_schema.framework import Framework


def _download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    """An attachment the browser saves under a readable name."""
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(filename),
            "Cache-Control": "private, no-store",
        },
    )


@get("/units/{code:str}/reports/self-assessment.docx", opt={"downloads": [DOCX]})
async def self_assessment(
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
) -> Response[bytes]:
    """Báo cáo tự đánh giá (Word)."""
    content = await reports.self_assessment_docx(
        db, framework, principal, code, year, settings.unit
    )
    return _download(content, DOCX, f"bao-cao-tu-danh-gia-{code}-{year}.docx")


@get("/units/{code:str}/reports/criteria-summary.xlsx", opt={"downloads": [XLSX]})
async def criteria_summary(
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
) -> Response[bytes]:
    """Bảng tổng hợp kết quả đánh giá các tiêu chí, chỉ tiêu (Excel)."""
    content = await reports.criteria_summary_xlsx(
        db, framework, principal, code, year, settings.unit
    )
    return _download(content, XLSX, f"bang-tong-hop-tieu-chi-{code}-{year}.xlsx")


@get("/units/{code:str}/reports/units-summary.xlsx", opt={"downloads": [XLSX]})
async def units_summary(
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
) -> Response[bytes]:
    """Tổng hợp các đơn vị trực thuộc (Excel)."""
    content = await reports.units_summary_xlsx(db, framework, principal, code, year, settings.unit)
    return _download(content, XLSX, f"tong-hop-don-vi-{code}-{year}.xlsx")


router = Router("/api", route_handlers=[self_assessment, criteria_summary, units_summary])
