"""The canon repository: the one way the rest of the app reads canon.

Loaded canon is held in an in-memory TinyDB, one document per level and per family, with
dictionaries from every spelling people type (slug, alias, level code; any case) to the
document id, so a look-up is one `get(doc_id=...)` and never a scan.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from bot.canon.loader import load_canon
from bot.canon.model import Canon, Family, FamilyLevel, Level


@dataclass(frozen=True, slots=True)
class FamilyEntry:
    """What the grammar and the listings need to know of a family, without its canon text."""

    slug: str
    name: str
    function: str
    aliases: tuple[str, ...]
    level_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LevelEntry:
    code: str
    title: str
    dimension_count: int


@dataclass(frozen=True)
class Vocabulary:
    """Every word the canon adds to the grammar; a plain value, so parsing stays pure."""

    levels: tuple[LevelEntry, ...]
    families: tuple[FamilyEntry, ...]
    _level_index: dict[str, LevelEntry] = field(init=False, repr=False, compare=False)
    _family_index: dict[str, FamilyEntry] = field(init=False, repr=False, compare=False)
    longest_phrase: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen, so the indexes are set through object.__setattr__ once, here. Codes, slugs
        # and aliases first; then the titles and names people also say ("Director",
        # "Clinical Trials Operations"), each only where it names one thing and no code does.
        levels = {lv.code.lower(): lv for lv in self.levels}
        families = {name.lower(): family for family in self.families for name in (family.slug, *family.aliases)}
        titles = [(_words(lv.title), lv) for lv in self.levels]
        names = [(_words(f.name), f) for f in self.families]
        counts = Counter(phrase for phrase, _ in [*titles, *names])
        taken = levels.keys() | families.keys()
        levels |= {phrase: lv for phrase, lv in titles if counts[phrase] == 1 and phrase not in taken}
        families |= {phrase: f for phrase, f in names if counts[phrase] == 1 and phrase not in taken}
        object.__setattr__(self, "_level_index", levels)
        object.__setattr__(self, "_family_index", families)
        object.__setattr__(self, "longest_phrase", max((len(p.split()) for p in counts), default=1))

    @property
    def level_codes(self) -> tuple[str, ...]:
        return tuple(level.code for level in self.levels)

    def level(self, word: str) -> LevelEntry | None:
        """A level by its code or its title, any case."""
        return self._level_index.get(_words(word))

    def family(self, word: str) -> FamilyEntry | None:
        """A family by slug, alias or name, any case."""
        return self._family_index.get(_words(word))

    def names_a_level_or_family(self, phrase: str) -> bool:
        return _words(phrase) in self._level_index or _words(phrase) in self._family_index

    def family_names(self) -> list[str]:
        """Every slug and alias, as people may type them."""
        return [name for family in self.families for name in (family.slug, *family.aliases)]


def _words(text: str) -> str:
    return " ".join(text.lower().split())


class CanonRepository:
    """Read-only canon behind look-ups by slug, alias and level code (any case)."""

    def __init__(self, canon: Canon, source: Path | None = None) -> None:
        self.source = source
        self._db = TinyDB(storage=MemoryStorage)
        self._levels = self._db.table("levels")
        self._families = self._db.table("families")
        self._level_ids: dict[str, int] = {}
        self._family_ids: dict[str, int] = {}
        for level in canon.levels:
            self._level_ids[level.code.lower()] = self._levels.insert(level.model_dump())
        for family in sorted(canon.families, key=lambda f: f.slug):
            doc_id = self._families.insert(family.model_dump())
            for name in (family.slug, *family.aliases):
                self._family_ids[name.lower()] = doc_id
        self._vocabulary = Vocabulary(
            levels=tuple(LevelEntry(lv.code, lv.title, len(lv.dimensions)) for lv in canon.levels),
            families=tuple(
                FamilyEntry(f.slug, f.name, f.function, f.aliases, tuple(f.levels))
                for f in self.families()
            ),
        )

    @classmethod
    def open(cls, directory: Path) -> CanonRepository:
        """Load a canon directory; raises CanonError."""
        return cls(load_canon(directory), source=directory)

    def level(self, code: str) -> Level | None:
        doc_id = self._level_ids.get(code.lower())
        if doc_id is None:
            return None
        return Level.model_validate(self._levels.get(doc_id=doc_id))

    def family(self, name: str) -> Family | None:
        """A family by its slug or any alias, in any case."""
        doc_id = self._family_ids.get(name.lower())
        if doc_id is None:
            return None
        return Family.model_validate(self._families.get(doc_id=doc_id))

    def family_level(self, family: str, code: str) -> tuple[Family, Level, FamilyLevel] | None:
        """The canon of one family at one level, or None if the family has none there."""
        found = self.family(family)
        level = self.level(code)
        if found is None or level is None or level.code not in found.levels:
            return None
        return found, level, found.levels[level.code]

    def families(self) -> list[Family]:
        """Every family, ordered by slug."""
        return [Family.model_validate(doc) for doc in self._families.all()]

    def vocabulary(self) -> Vocabulary:
        return self._vocabulary
