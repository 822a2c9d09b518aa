"""What a service call changed, so a view can decide what to redraw (Anki's OpChanges)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    dossier_ids: frozenset[str] = frozenset()
    dossiers: bool = False      # the set or order of dossiers changed (lists, counts, the Today board)
    catalog: bool = False
    settings: bool = False
    calendar: bool = False
    sync: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.dossier_ids | other.dossier_ids,
            self.dossiers or other.dossiers,
            self.catalog or other.catalog,
            self.settings or other.settings,
            self.calendar or other.calendar,
            self.sync or other.sync,
        )
