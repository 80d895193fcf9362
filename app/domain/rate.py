"""How often a thing may be done: a sliding window of recent times per key (who searched, from where)."""
from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta


class SlidingWindow:
    """At most `limit` uses per key within any `window`; the times are given by the caller (the clock)."""

    def __init__(self, limit: int, window: timedelta) -> None:
        self.limit, self.window = limit, window
        self._uses: dict[object, deque[datetime]] = {}

    def allow(self, key: object, now: datetime) -> bool:
        """Count a use of `key` at `now` and say whether it is within the limit; a refused use is not counted."""
        uses = self._uses.setdefault(key, deque())
        while uses and uses[0] <= now - self.window:
            uses.popleft()
        if len(uses) >= self.limit:
            return False
        uses.append(now)
        return True
