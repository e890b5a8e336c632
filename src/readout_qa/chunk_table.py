"""The chunk table (ids, texts, metadata) kept on disk and read by row on demand.

An app process needs every chunk's filter fields at once (a date or country filter is a
numpy mask over all rows) but the texts and full metadata only of the few chunks a
question retrieves. Parsing a JSON table of a million chunks into Python objects cost
each process ~8 s and ~2.6 GB; here the strings stay in flat files (one blob plus an
offsets array per column), the filter fields are numpy arrays, and everything is opened
memory-mapped (the numpy columns) or read with ``pread`` (the strings): opening is a few
``stat`` calls, a row costs one read and a decode, and every process on the machine
reads the same pages from the page cache; none holds a private copy.

Layout of the directory (all arrays ``.npy``, all blobs UTF-8):

* ``ids`` / ``texts`` / ``metas`` (JSON per row): ``<name>.bin`` + ``<name>.off.npy``;
* ``ids.hash.npy`` + ``ids.row.npy``: 64-bit hashes of the ids, sorted, and their rows
  (id -> row without a dict of a million strings); the same for ``docs``;
* ``docs``: the distinct ``doc_id`` values, sorted; ``doc.npy`` (row -> doc number),
  ``doc_rows.npy`` + ``doc_starts.npy`` (doc number -> its rows, in row order);
* ``date_int.npy``, ``publisher.npy`` (a number into ``columns.json``'s publishers);
* ``country_rows.npy`` + ``country_starts.npy``: per ``country_*`` key, the rows where it
  is true;
* ``columns.json``: the row count, the publisher and country lists, every file's size.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np

from .filtering import COUNTRY_PREFIX, evaluate

TABLE_FORMAT = 1
COLUMNS = "columns.json"


class ChunkTableError(ValueError):
    """A saved table that cannot be used as it is; the message names the file and why."""


def _key(text: str) -> int:
    """A hash that is the same in every process (``hash(str)`` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


class _File:
    """A saved blob read with ``pread``: through the page cache every process shares, but
    never mapped, so a process's resident memory holds none of it (a memory map would
    count every cached page it touched, a whole large folio at a time)."""

    def __init__(self, path: Path) -> None:
        self._fh = open(path, "rb")  # noqa: SIM115  (open as long as the table)
        self._fd = self._fh.fileno()
        # Without pread (Windows), a read-only memory map: shared pages all the same.
        self._map = (
            None if hasattr(os, "pread") else mmap.mmap(self._fd, 0, access=mmap.ACCESS_READ)
        )
        if hasattr(os, "posix_fadvise"):
            # Rows are read a few at a time, scattered: no read-ahead around each one.
            os.posix_fadvise(self._fd, 0, 0, os.POSIX_FADV_RANDOM)

    def __getitem__(self, span: slice) -> bytes:
        if self._map is not None:
            return self._map[span]
        return os.pread(self._fd, span.stop - span.start, span.start)

    def __bytes__(self) -> bytes:
        return self[0 : os.fstat(self._fd).st_size]


class Strings(Sequence[str]):
    """A column of strings: one blob and the offset of each row's bytes in it."""

    def __init__(self, blob: bytes | _File, offsets: np.ndarray) -> None:
        self._blob = blob
        self._offsets = offsets

    @classmethod
    def of(cls, strings: Iterable[str]) -> Strings:
        encoded = [s.encode("utf-8") for s in strings]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in encoded], out=offsets[1:])
        return cls(b"".join(encoded), offsets)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        i = int(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        start, end = self._offsets[i : i + 2].tolist()
        return self._blob[start:end].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        offsets = self._offsets.tolist() if len(self) < 100_000 else self._offsets
        for i in range(len(self)):
            yield self._blob[int(offsets[i]) : int(offsets[i + 1])].decode("utf-8")

    def __repr__(self) -> str:
        return f"Strings({len(self)} rows)"

    def save(self, directory: Path, name: str) -> None:
        (directory / f"{name}.bin").write_bytes(bytes(self._blob))
        np.save(directory / f"{name}.off.npy", self._offsets)

    @classmethod
    def open(cls, directory: Path, name: str, count: int) -> Strings:
        blob_path = directory / f"{name}.bin"
        offsets = _array(directory / f"{name}.off.npy", count + 1, np.int64)
        size = blob_path.stat().st_size
        if count and (offsets[0] != 0 or offsets[-1] != size or np.any(np.diff(offsets) < 0)):
            raise ChunkTableError(f"{blob_path}: its offsets do not describe its {size} bytes")
        return cls(_File(blob_path) if size else b"", offsets)


class Metas(Sequence[dict]):
    """Each row's metadata, stored as JSON and parsed when asked for (a fresh dict)."""

    def __init__(self, rows: Strings) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, i: int) -> dict: ...
    @overload
    def __getitem__(self, i: slice) -> list[dict]: ...
    def __getitem__(self, i: int | slice) -> dict | list[dict]:
        if isinstance(i, slice):
            return [json.loads(s) for s in self.rows[i]]
        return json.loads(self.rows[i])

    def __iter__(self) -> Iterator[dict]:
        return (json.loads(s) for s in self.rows)


class Lookup:
    """String -> row of a :class:`Strings` column through sorted 64-bit hashes (collisions
    are checked against the strings), so no per-process dict of every id is built."""

    def __init__(self, strings: Strings, hashes: np.ndarray, rows: np.ndarray) -> None:
        self.strings = strings
        self.hashes = hashes
        self.rows = rows

    @classmethod
    def of(cls, strings: Strings) -> Lookup:
        keys = np.fromiter((_key(s) for s in strings), dtype=np.uint64, count=len(strings))
        order = np.argsort(keys, kind="stable")
        return cls(strings, keys[order], order.astype(np.int64))

    def get(self, text: str, default: int | None = None) -> int | None:
        if not isinstance(text, str) or not len(self.hashes):
            return default
        key = np.uint64(_key(text))
        j = int(np.searchsorted(self.hashes, key))
        while j < len(self.hashes) and self.hashes[j] == key:
            row = int(self.rows[j])
            if self.strings[row] == text:
                return row
            j += 1
        return default

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.get(text) is not None

    def __getitem__(self, text: str) -> int:
        row = self.get(text)
        if row is None:
            raise KeyError(text)
        return row

    def __len__(self) -> int:
        return len(self.strings)

    def save(self, directory: Path, name: str) -> None:
        np.save(directory / f"{name}.hash.npy", self.hashes)
        np.save(directory / f"{name}.row.npy", self.rows)

    @classmethod
    def open(cls, directory: Path, name: str, strings: Strings) -> Lookup:
        n = len(strings)
        hashes = _array(directory / f"{name}.hash.npy", n, np.uint64)
        rows = _array(directory / f"{name}.row.npy", n, np.int64)
        if n and (np.any(hashes[1:] < hashes[:-1]) or rows.min() < 0 or rows.max() >= n):
            raise ChunkTableError(f"{directory / name}.hash.npy: the lookup is not sorted")
        return cls(strings, hashes, rows)


def _array(path: Path, length: int, dtype: Any) -> np.ndarray:
    """A saved 1-d array, memory-mapped, checked for the expected length and type."""
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise ChunkTableError(f"{path}: not a readable numpy array ({exc})") from exc
    if array.ndim != 1 or array.dtype != np.dtype(dtype) or len(array) != length:
        raise ChunkTableError(
            f"{path}: holds {array.dtype} {array.shape}, expected {np.dtype(dtype)} ({length},)"
        )
    # A plain view of the same mapped pages: np.memmap's subclass hooks cost microseconds
    # on every scalar read and search, and a question makes hundreds.
    return array.view(np.ndarray)


def _groups(codes: np.ndarray, groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows by group (row order kept within a group) and where each group starts."""
    rows = np.argsort(codes, kind="stable").astype(np.int64)
    starts = np.zeros(groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(codes, minlength=groups), out=starts[1:])
    return rows, starts


class ChunkTable:
    """Ids, texts and metadata of every chunk, row ``i`` for the BM25 row and vector ``i``.

    Built in memory from lists (then saved), or opened memory-mapped from a saved
    directory; both behave the same."""

    def __init__(self, arrays: dict[str, Any], publishers: list[str], countries: list[str]):
        self.ids: Strings = arrays["ids"]
        self.texts: Strings = arrays["texts"]
        self.metas = Metas(arrays["metas"])
        self.position = Lookup(self.ids, arrays["ids.hash"], arrays["ids.row"])
        self.docs: Strings = arrays["docs"]
        self.doc_lookup = Lookup(self.docs, arrays["docs.hash"], arrays["docs.row"])
        self.doc: np.ndarray = arrays["doc"]
        self.doc_rows: np.ndarray = arrays["doc_rows"]
        self.doc_starts: np.ndarray = arrays["doc_starts"]
        self.date_int: np.ndarray = arrays["date_int"]
        self.publisher: np.ndarray = arrays["publisher"]
        self.publishers = publishers
        self.countries = countries
        self.country_rows: np.ndarray = arrays["country_rows"]
        self.country_starts: np.ndarray = arrays["country_starts"]
        self._country_number = {c: i for i, c in enumerate(countries)}

    def __len__(self) -> int:
        return len(self.ids)

    # --- building and persistence -----------------------------------------------------
    @classmethod
    def build(cls, ids: list[str], texts: list[str], metas: list[dict]) -> ChunkTable:
        """The table of these chunks (row order kept); the filter columns read the same
        fields, with the same defaults, as the row-by-row evaluation would."""
        if not len(ids) == len(texts) == len(metas):
            raise ValueError(f"{len(ids)} ids, {len(texts)} texts, {len(metas)} metadata rows")
        arrays: dict[str, Any] = {
            "ids": Strings.of(ids),
            "texts": Strings.of(texts),
            "metas": Strings.of(json.dumps(m, ensure_ascii=False) for m in metas),
        }
        lookup = Lookup.of(arrays["ids"])
        if len(set(ids)) != len(ids):
            raise ValueError("chunk ids are not unique")
        arrays["ids.hash"], arrays["ids.row"] = lookup.hashes, lookup.rows
        doc_ids = [str(m.get("doc_id", "")) for m in metas]
        docs = sorted(set(doc_ids))
        number = {d: i for i, d in enumerate(docs)}
        doc = np.array([number[d] for d in doc_ids], dtype=np.int32)
        arrays["docs"] = Strings.of(docs)
        doc_lookup = Lookup.of(arrays["docs"])
        arrays["docs.hash"], arrays["docs.row"] = doc_lookup.hashes, doc_lookup.rows
        arrays["doc"] = doc
        arrays["doc_rows"], arrays["doc_starts"] = _groups(doc, len(docs))
        arrays["date_int"] = np.array(
            [int(m.get("date_int", 0) or 0) for m in metas], dtype=np.int64
        )
        publisher_of = [str(m.get("publisher", "")) for m in metas]
        publishers = sorted(set(publisher_of))
        pnum = {p: i for i, p in enumerate(publishers)}
        arrays["publisher"] = np.array([pnum[p] for p in publisher_of], dtype=np.int32)
        countries = sorted({k for m in metas for k in m if k.startswith(COUNTRY_PREFIX)})
        cnum = {c: i for i, c in enumerate(countries)}
        pairs = [
            (cnum[k], row) for row, m in enumerate(metas) for k, v in m.items() if k in cnum and v
        ]
        codes = np.array([c for c, _ in pairs], dtype=np.int64)
        rows = np.array([r for _, r in pairs], dtype=np.int64)
        order, arrays["country_starts"] = _groups(codes, len(countries))
        arrays["country_rows"] = rows[order]
        return cls(arrays, publishers, countries)

    _ARRAYS = (
        "doc",
        "doc_rows",
        "doc_starts",
        "date_int",
        "publisher",
        "country_rows",
        "country_starts",
    )

    def save(self, directory: Path) -> None:
        """Write every column into ``directory`` (which the caller renames into place)."""
        directory.mkdir(parents=True, exist_ok=True)
        for name in ("ids", "texts", "docs"):
            getattr(self, name).save(directory, name)
        self.metas.rows.save(directory, "metas")
        self.position.save(directory, "ids")
        self.doc_lookup.save(directory, "docs")
        for name in self._ARRAYS:
            np.save(directory / f"{name}.npy", np.asarray(getattr(self, name)))
        files = {p.name: p.stat().st_size for p in sorted(directory.iterdir())}
        (directory / COLUMNS).write_text(
            json.dumps(
                {
                    "format": TABLE_FORMAT,
                    "count": len(self),
                    "docs": len(self.docs),
                    "publishers": self.publishers,
                    "countries": self.countries,
                    "files": files,
                }
            ),
            encoding="utf-8",
        )

    @classmethod
    def open(cls, directory: Path, count: int) -> ChunkTable:
        """The saved table, memory-mapped. Raises :class:`ChunkTableError` naming the file
        when one is missing, truncated or inconsistent (sizes, offsets, lengths and
        lookups are checked; a byte flipped inside a text is not: that would mean reading
        every page at start)."""
        columns_path = directory / COLUMNS
        try:
            columns = json.loads(columns_path.read_text(encoding="utf-8"))
            files: dict[str, int] = columns["files"]
            n_docs = int(columns["docs"])
            publishers = [str(p) for p in columns["publishers"]]
            countries = [str(c) for c in columns["countries"]]
            if columns.get("format") != TABLE_FORMAT or int(columns["count"]) != count:
                raise ChunkTableError(
                    f"{columns_path}: format {columns.get('format')} with {columns['count']} "
                    f"rows, expected format {TABLE_FORMAT} with {count}"
                )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            if isinstance(exc, ChunkTableError):
                raise
            raise ChunkTableError(f"{columns_path}: unreadable ({exc})") from exc
        for name, size in files.items():
            path = directory / name
            actual = path.stat().st_size if path.exists() else None
            if actual != size:
                found = "missing" if actual is None else f"{actual} bytes"
                raise ChunkTableError(f"{path}: {found}, expected {size} bytes")
        arrays: dict[str, Any] = {}
        for name, rows in (("ids", count), ("texts", count), ("metas", count), ("docs", n_docs)):
            arrays[name] = Strings.open(directory, name, rows)
        for name in ("ids", "docs"):
            lookup = Lookup.open(directory, name, arrays[name])
            arrays[f"{name}.hash"], arrays[f"{name}.row"] = lookup.hashes, lookup.rows
        expected = {
            "doc": (count, np.int32),
            "doc_rows": (count, np.int64),
            "doc_starts": (n_docs + 1, np.int64),
            "date_int": (count, np.int64),
            "publisher": (count, np.int32),
            "country_starts": (len(countries) + 1, np.int64),
        }
        for name, (length, dtype) in expected.items():
            arrays[name] = _array(directory / f"{name}.npy", length, dtype)
        starts = arrays["country_starts"]
        n_country_rows = int(starts[-1]) if len(starts) else 0
        arrays["country_rows"] = _array(directory / "country_rows.npy", n_country_rows, np.int64)
        if count and (
            int(arrays["doc"].max()) >= max(n_docs, 1) or int(arrays["doc_starts"][-1]) != count
        ):
            raise ChunkTableError(f"{directory / 'doc.npy'}: doc numbers beyond {n_docs} docs")
        if count and len(publishers) and int(arrays["publisher"].max()) >= len(publishers):
            raise ChunkTableError(f"{directory / 'publisher.npy'}: beyond {len(publishers)}")
        return cls(arrays, publishers, countries)

    # --- reading ----------------------------------------------------------------------
    def rows_of_doc(self, doc_id: str) -> np.ndarray:
        """The rows of one readout's chunks, in row order (empty for an unknown doc)."""
        d = self.doc_lookup.get(doc_id)
        if d is None:
            return self.doc_rows[:0]
        return self.doc_rows[int(self.doc_starts[d]) : int(self.doc_starts[d + 1])]

    def doc_id_of(self, row: int) -> str:
        return self.docs[int(self.doc[row])]

    def flags(self, row: int) -> RowFlags:
        """The filter fields of one row (``date_int``, ``country_*``) as a read-only
        mapping read from the columns: what ranking a candidate readout needs, without
        reading and parsing the row's JSON metadata (~60 candidates a question)."""
        return RowFlags(self, row)

    # --- filters ------------------------------------------------------------------------
    def mask(self, where: dict) -> np.ndarray:
        """Rows that satisfy a Chroma ``where``: the clauses :func:`filtering.to_where`
        writes use the numpy columns; any other clause is evaluated row by row on the
        parsed metadata (correct, but slow on a large table)."""
        n = len(self)
        mask = np.ones(n, dtype=bool)
        for key, cond in where.items():
            if key == "$and":
                for clause in cond:
                    mask &= self.mask(clause)
            elif key == "$or":
                any_of = np.zeros(n, dtype=bool)
                for clause in cond:
                    any_of |= self.mask(clause)
                mask &= any_of
            elif not isinstance(cond, dict):
                mask &= self._rowwise({key: cond})
            else:
                for op, value in cond.items():
                    mask &= self._clause(key, op, value)
        return mask

    def _rowwise(self, where: dict) -> np.ndarray:
        return np.fromiter((evaluate(where, m) for m in self.metas), dtype=bool, count=len(self))

    def _clause(self, key: str, op: str, value: Any) -> np.ndarray:
        if key == "date_int" or key.startswith(COUNTRY_PREFIX):
            column = self.date_int if key == "date_int" else self._country(key)
            if op == "$gte":
                return column >= value
            if op == "$lte":
                return column <= value
            if op == "$gt":
                return column > value
            if op == "$lt":
                return column < value
            if op == "$eq":
                return column == value
            if op == "$in":
                return np.isin(column, list(value))
        elif key in ("doc_id", "publisher") and op in ("$eq", "$in"):
            codes, code_of = (
                (self.doc, self.doc_lookup.get)
                if key == "doc_id"
                else (self.publisher, {p: i for i, p in enumerate(self.publishers)}.get)
            )
            values = [value] if op == "$eq" else list(value)
            wanted = [c for v in values if isinstance(v, str) and (c := code_of(v)) is not None]
            return np.isin(codes, wanted)
        return self._rowwise({key: {op: value}})

    def has_country(self, row: int, key: str) -> bool:
        """Whether ``row``'s metadata marks it with the ``country_*`` flag ``key``."""
        if key not in self._country_number:
            return False
        c = self._country_number[key]
        rows = self.country_rows[int(self.country_starts[c]) : int(self.country_starts[c + 1])]
        j = int(np.searchsorted(rows, row))  # a country's rows are in row order
        return j < len(rows) and int(rows[j]) == row

    def _country(self, key: str) -> np.ndarray:
        column = np.zeros(len(self), dtype=bool)
        if key in self.countries:
            c = self.countries.index(key)
            column[
                self.country_rows[int(self.country_starts[c]) : int(self.country_starts[c + 1])]
            ] = True
        return column


class RowFlags(Mapping[str, Any]):
    """One row's ``date_int``, ``publisher`` and true ``country_*`` flags, read from the
    table's columns: ``get`` answers as the row's parsed metadata would for these keys (a
    missing date is 0, a country flag is True or absent); any other key is absent."""

    def __init__(self, table: ChunkTable, row: int) -> None:
        self._table = table
        self._row = row

    def __getitem__(self, key: str) -> Any:
        if key == "date_int":
            return int(self._table.date_int[self._row])
        if key == "publisher":  # whose readout: a government's is about its own country
            return self._table.publishers[int(self._table.publisher[self._row])]
        if key.startswith(COUNTRY_PREFIX) and self._table.has_country(self._row, key):
            return True
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        yield "date_int"
        yield "publisher"
        yield from (c for c in self._table.countries if self._table.has_country(self._row, c))

    def __len__(self) -> int:
        return sum(1 for _ in self)
