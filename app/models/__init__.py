"""SQLAlchemy typed models, one module per area. Import this package to get every table on Base.metadata."""
from app.models.base import Base
from app.models import audit, bar, deals, office, rotation, showroom, staff, visitors  # noqa: F401  (register tables)

__all__ = ["Base"]
