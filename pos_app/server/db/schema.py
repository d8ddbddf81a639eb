"""The whole schema of the server's database: every table module's models on the one ``Base.metadata`` (what the
migrations are compared with). A module of tables of its own (``shop_models``, ``console_models`` …) is listed
here, so that the foreign keys between them resolve."""

from __future__ import annotations

from pos_app.server.db import console_models, dashboard_models, shop_models
from pos_app.server.db.models import Base

TABLE_MODULES = (console_models, shop_models, dashboard_models)
metadata = Base.metadata
