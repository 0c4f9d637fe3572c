"""The composition root: build a node's Litestar app from its Settings."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig

from backend.config import Settings
from backend.db.database import Database
from backend.db.migrate import migrate
from backend.relay.duties import NodeDuties
from backend.relay.rebuilder import Rebuilder
from backend.web.allocator import release_freed_memory
from backend.web.borders import check_year_parameters
from backend.web.compression import COMPRESSION
from backend.web.decoding import StrictRequest
from backend.web.deps import provide_db, provide_framework, provide_principal
from backend.web.metrics import metrics
from backend.web.openapi_doc import complete_document
from backend.web.problems import EXCEPTION_HANDLERS
from backend.web.pwa_files import pwa_routers
from backend.web.request_context import RequestObserver
from backend.web.routes import (
    assessments,
    auth,
    dossiers,
    federation,
    meta,
    plans,
    reports,
    sync,
    tallies,
    target_preview,
    units,
    users,
)
from shared_schema.calendar_overrides import framework_with_deadlines
from shared_schema.framework_loader import load_framework


def _lifespan(settings: Settings, migrate_on_start: bool):  # type: ignore[no-untyped-def]
    """Open the database (migrating it); one process of the node runs the rebuilder and relay."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        db = Database.from_url(settings.database_url)
        if migrate_on_start:
            await migrate(db.engine)
        app.state.db = db
        app.state.rebuilder = Rebuilder(db, app.state.framework, settings.unit)
        duties = NodeDuties(db, settings, app.state.rebuilder, settings.singleton_check_interval)
        app.state.duties = duties
        task = asyncio.create_task(duties.run())
        release_freed_memory()
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await db.dispose()

    return lifespan


def create_app(
    settings: Settings, migrate_on_start: bool = True, database: Database | None = None
) -> Litestar:
    """A node API (and the PWA, when built); tests may hand in an open database."""
    handlers: list[object] = [
        auth.router,
        tallies.router,
        units.router,
        assessments.router,
        dossiers.router,
        reports.router,
        sync.router,
        federation.router,
        users.router,
        users.self_router,
        users.recognition_router,
        target_preview.router,
        plans.router,
        meta.health,
        meta.framework_document,
        metrics,
    ]
    handlers.extend(pwa_routers(settings.pwa_dir))
    app = Litestar(
        route_handlers=handlers,  # type: ignore[arg-type]
        dependencies={
            "principal": Provide(provide_principal),
            "db": Provide(provide_db),
            "framework": Provide(provide_framework),
            "settings": Provide(lambda: settings, sync_to_thread=False),
        },
        request_class=StrictRequest,
        before_request=check_year_parameters,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        middleware=[RequestObserver],
        compression_config=COMPRESSION,
        lifespan=[] if database else [_lifespan(settings, migrate_on_start)],
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(title="XHHT node API", version="0.1.0"),
        logging_config=None,  # configure_logging owns the root logger (level and format)
        debug=False,
    )
    app.state.settings = settings
    app.state.framework = framework_with_deadlines(
        load_framework(settings.framework_id), settings.deadlines, settings.hierarchy
    )
    complete_document(app, app.state.framework)
    if database is not None:
        app.state.db = database
    return app
