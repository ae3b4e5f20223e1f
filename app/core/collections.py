"""A rep's own collections: favourites and per-account meeting kits."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from app.core.errors import ConfigError, NotFoundError
from app.core.library import Library
from app.core.models import Favourite, Kit, KitEntry
from app.core.timeutil import utcnow


class Collections:
    def __init__(self, library: Library) -> None:
        self.library = library

    # favourites -----------------------------------------------------------
    def favourites(self) -> set[str]:
        with self.library.sessions() as s:
            return set(s.scalars(select(Favourite.item_id)).all())

    def set_favourite(self, item_id: str, on: bool) -> None:
        with self.library.sessions.begin() as s:
            if on:
                s.merge(Favourite(item_id=item_id, added_at=utcnow()))
            else:
                s.execute(delete(Favourite).where(Favourite.item_id == item_id))

    # kits -----------------------------------------------------------------
    def kits(self) -> dict[str, list[str]]:
        """Kit name -> item ids in the rep's order."""
        with self.library.sessions() as s:
            kits = s.scalars(select(Kit).order_by(Kit.name)).all()
            return {k.name: [e.item_id for e in k.entries] for k in kits}

    def create_kit(self, name: str) -> None:
        name = name.strip()
        if not name:
            raise ConfigError("A kit needs a name.")
        with self.library.sessions.begin() as s:
            if s.scalar(select(Kit).where(Kit.name == name)) is not None:
                raise ConfigError(f"There is already a kit called {name!r}.")
            s.add(Kit(name=name, created_at=utcnow()))

    def rename_kit(self, name: str, new_name: str) -> None:
        """Give the kit ``name`` a new name; its items and their order stay."""
        new_name = new_name.strip()
        if not new_name:
            raise ConfigError("A kit needs a name.")
        with self.library.sessions.begin() as s:
            kit = s.scalar(select(Kit).where(Kit.name == name))
            if kit is None:
                raise NotFoundError(f"No kit called {name!r}.")
            if new_name == name:
                return
            if s.scalar(select(Kit).where(Kit.name == new_name)) is not None:
                raise ConfigError(f"There is already a kit called {new_name!r}.")
            kit.name = new_name

    def delete_kit(self, name: str) -> None:
        with self.library.sessions.begin() as s:
            kit = s.scalar(select(Kit).where(Kit.name == name))
            if kit is not None:
                s.delete(kit)

    def add_to_kit(self, name: str, item_id: str) -> None:
        with self.library.sessions.begin() as s:
            kit = s.scalar(select(Kit).where(Kit.name == name))
            if kit is None:
                raise NotFoundError(f"No kit called {name!r}.")
            if s.get(KitEntry, (kit.id, item_id)) is None:
                last = s.scalar(
                    select(func.coalesce(func.max(KitEntry.position), -1)).where(
                        KitEntry.kit_id == kit.id
                    )
                )
                s.add(KitEntry(kit_id=kit.id, item_id=item_id, position=int(last or 0) + 1))

    def remove_from_kit(self, name: str, item_id: str) -> None:
        with self.library.sessions.begin() as s:
            kit = s.scalar(select(Kit).where(Kit.name == name))
            if kit is not None:
                s.execute(
                    delete(KitEntry).where(KitEntry.kit_id == kit.id, KitEntry.item_id == item_id)
                )
