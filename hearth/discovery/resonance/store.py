"""Precomputed community vectors: their bytes, and the in-memory matrices a query scans.

A ranker encodes each community once into a payload (`bytes`, stored by the
discovery app beside the community) and loads payloads into an index, one
row per community. Changing one community re-encodes that community only and
replaces its row; nothing here ever re-encodes the others.

Payloads are a JSON header and raw numpy arrays (no pickles), so loading one
from the database cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any, cast

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from hearth.discovery.resonance.documents import CommunityId, Unit, UnitKind, Units

Floats = npt.NDArray[np.float32]


def units_digest(units: Units) -> str:
    """What a community's vectors were computed from: a hash of its matchable units.

    A private community's units hold only its public fields (`doc_units`), so
    the digest, like the vectors, never depends on what its members wrote.
    """
    payload = json.dumps(
        [[[u.kind, u.text] for u in units.about], [[u.kind, u.text] for u in units.talk]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


MAGIC = b"HEARTHV1"


def pack(arrays: dict[str, npt.NDArray[Any]], units: Units) -> bytes:
    """Arrays and the units they came from, as bytes for the database.

    A small JSON header (units; each array's name, dtype and length), then
    the arrays' raw bytes: `unpack` reads them without copying or parsing
    more than the header, which matters when a process loads 10,000 rows.
    """
    layout = []
    chunks = []
    for name, array in arrays.items():
        flat = np.ascontiguousarray(array).ravel()
        layout.append([name, flat.dtype.str, int(flat.size), list(array.shape)])
        chunks.append(flat.tobytes())
    header = json.dumps(
        {
            "about": [[u.kind, u.text] for u in units.about],
            "talk": [[u.kind, u.text] for u in units.talk],
            "arrays": layout,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    pad = -(len(MAGIC) + 4 + len(header)) % 8  # arrays start 8-byte aligned
    return b"".join([MAGIC, len(header).to_bytes(4, "little"), header, b" " * pad, *chunks])


def unpack(data: bytes) -> tuple[dict[str, npt.NDArray[Any]], Units]:
    """The arrays (read-only views of `data`) and units of a `pack`ed payload."""
    if data[: len(MAGIC)] != MAGIC:
        raise ValueError("not a find-your-people vector payload")
    size = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "little")
    start = len(MAGIC) + 4
    meta = json.loads(data[start : start + size].decode("utf-8"))
    offset = start + size
    offset += -offset % 8
    arrays: dict[str, npt.NDArray[Any]] = {}
    for name, dtype, count, shape in meta["arrays"]:
        array = np.frombuffer(data, dtype=np.dtype(dtype), count=count, offset=offset)
        arrays[name] = array.reshape(shape)
        offset += array.nbytes
    # Kinds interned: one string per kind, not one per unit of every
    # community held in memory (~1.6 kB a community).
    units = Units(
        about=[Unit(cast(UnitKind, sys.intern(kind)), text) for kind, text in meta["about"]],
        talk=[Unit(cast(UnitKind, sys.intern(kind)), text) for kind, text in meta["talk"]],
    )
    return arrays, units


class Slots:
    """Which row of the matrices holds which community; removed rows stay dead.

    Rows are appended in the order communities arrive, which is also the
    tie-break between equal scores.
    """

    def __init__(self) -> None:
        self.ids: list[CommunityId] = []
        self.row_of: dict[CommunityId, int] = {}
        self.units: list[Units] = []
        self._alive: list[bool] = []
        self._alive_array: npt.NDArray[np.bool_] | None = None

    def __len__(self) -> int:
        return len(self.row_of)

    def __contains__(self, community_id: object) -> bool:
        return community_id in self.row_of

    @property
    def rows(self) -> int:
        return len(self.ids)

    def slot(self, community_id: CommunityId, units: Units) -> int:
        """The row of `community_id`, appended when new."""
        row = self.row_of.get(community_id)
        if row is None:
            row = len(self.ids)
            self.ids.append(community_id)
            self.units.append(units)
            self._alive.append(True)
            self._alive_array = None
            self.row_of[community_id] = row
        else:
            self.units[row] = units
        return row

    def free(self, community_id: CommunityId) -> int | None:
        row = self.row_of.pop(community_id, None)
        if row is not None:
            self._alive[row] = False
            self._alive_array = None
            self.units[row] = Units()
        return row

    def alive(self) -> npt.NDArray[np.bool_]:
        if self._alive_array is None:
            self._alive_array = np.asarray(self._alive, dtype=bool)
        return self._alive_array


class SparseColumns:
    """One sparse vector per row, scored against a sparse query.

    The rows are kept as one transposed CSR matrix (features x rows), so a
    query costs work in proportion to how common its own features are, not
    to the number of rows. A row replaced or added after that matrix was built
    is scored apart, from a small overlay matrix, until there are enough of
    them to rebuild (`compact`); a rebuild stacks stored rows, it never
    re-encodes text.
    """

    def __init__(self, n_features: int) -> None:
        self.n_features = n_features
        self._indices: list[npt.NDArray[np.int32]] = []
        self._values: list[Floats] = []
        self._main: Any = None
        self._main_rows = 0
        self._dirty: set[int] = set()
        self._overlay: tuple[npt.NDArray[np.int64], Any] | None = None

    def set(self, row: int, indices: npt.NDArray[np.int32], values: Floats) -> None:
        while len(self._indices) <= row:
            self._indices.append(np.zeros(0, dtype=np.int32))
            self._values.append(np.zeros(0, dtype=np.float32))
        self._indices[row] = indices
        self._values[row] = values
        if row < self._main_rows:
            self._dirty.add(row)
        self._overlay = None

    def pending(self) -> int:
        """Rows scored from the overlay: changed since the last build, or added after it."""
        return len(self._dirty) + len(self._indices) - self._main_rows

    def compact(self) -> None:
        """Rebuild the transposed matrix from the stored rows (no overlay left)."""
        n = len(self._indices)
        lengths = np.fromiter((len(i) for i in self._indices), dtype=np.int64, count=n)
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        indices = np.concatenate(self._indices) if n else np.zeros(0, dtype=np.int32)
        values = np.concatenate(self._values) if n else np.zeros(0, dtype=np.float32)
        # Rows as the columns of a CSC matrix, converted once to CSR.
        self._main = sparse.csc_matrix(
            (values, indices, indptr), shape=(self.n_features, n)
        ).tocsr()
        self._main_rows = n
        self._dirty.clear()
        self._overlay = None

    def _overlay_matrix(self) -> tuple[npt.NDArray[np.int64], Any]:
        if self._overlay is None:
            rows = np.asarray(
                sorted(self._dirty | set(range(self._main_rows, len(self._indices)))),
                dtype=np.int64,
            )
            lengths = np.fromiter(
                (len(self._indices[r]) for r in rows), dtype=np.int64, count=len(rows)
            )
            indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
            if len(rows):
                indices = np.concatenate([self._indices[r] for r in rows])
                values = np.concatenate([self._values[r] for r in rows])
            else:
                indices, values = np.zeros(0, np.int32), np.zeros(0, np.float32)
            matrix = sparse.csr_matrix(
                (values, indices, indptr), shape=(len(rows), self.n_features)
            )
            self._overlay = (rows, matrix)
        return self._overlay

    def scores(self, query: Any, n_rows: int) -> Floats:
        """Dot products of a 1 x n_features CSR query with every row."""
        out = np.zeros(n_rows, dtype=np.float32)
        if self._main is not None and self._main_rows:
            out[: self._main_rows] = np.asarray(
                (query @ self._main).toarray(), dtype=np.float32
            ).ravel()
        rows, matrix = self._overlay_matrix()
        if len(rows):
            out[rows] = matrix @ dense_query(query, self.n_features)
        return out


def dense_query(query: Any, n_features: int) -> Floats:
    """A 1 x n CSR query as a dense vector.

    Multiplying a CSR matrix by a dense vector costs its own non-zeros; by
    the query's sparse transpose, scipy would first convert that transpose,
    a pass over all 2**20 columns.
    """
    out = np.zeros(n_features, dtype=np.float32)  # calloc: untouched pages cost nothing
    out[query.indices] = query.data
    return out


class DenseRows:
    """One dense vector per row, in a matrix that grows by doubling; replaced in place."""

    def __init__(self) -> None:
        self._matrix: Floats = np.zeros((0, 0), dtype=np.float32)

    def set(self, row: int, vector: Floats) -> None:
        if self._matrix.shape[1] != len(vector):
            if self._matrix.shape[0] and self._matrix.shape[1]:
                raise ValueError("vectors of one model must share a dimension")
            self._matrix = np.zeros((max(16, row + 1), len(vector)), dtype=np.float32)
        if row >= self._matrix.shape[0]:
            grown = np.zeros((max(row + 1, 2 * self._matrix.shape[0]), self._matrix.shape[1]))
            grown = grown.astype(np.float32)
            grown[: self._matrix.shape[0]] = self._matrix
            self._matrix = grown
        self._matrix[row] = vector

    def clear(self, row: int) -> None:
        if row < self._matrix.shape[0]:
            self._matrix[row] = 0.0

    @property
    def nbytes(self) -> int:
        return int(self._matrix.nbytes)

    def scores(self, query: Floats, n_rows: int) -> Floats:
        """One matrix-vector product over the first n_rows rows."""
        if not self._matrix.size:
            return np.zeros(n_rows, dtype=np.float32)
        out = np.zeros(n_rows, dtype=np.float32)
        rows = min(n_rows, self._matrix.shape[0])
        out[:rows] = self._matrix[:rows] @ query
        return out


Halves = npt.NDArray[np.float16]
# Rows of float16 widened to float32 at a time when scoring: bounds the
# temporary to 3 MB at 384 dimensions, whatever the number of rows.
WIDEN_ROWS = 2048


def widen_into(out: Floats, block: Halves) -> None:
    """Copy float16 `block` into float32 `out` (same shape): exact, every float16 is a float32.

    numpy's own cast has no F16C path here (about 1.3 ns a value, measured:
    2.7 ms for 5,000 x 384); PyTorch's is 5x faster, so it is used when the
    process has already imported it (the embedding model runs on it) and
    numpy's otherwise. Both give the same bits.
    """
    torch = sys.modules.get("torch")
    if torch is not None and block.flags.writeable and block.flags.c_contiguous:
        torch.from_numpy(out).copy_(torch.from_numpy(block))
    else:
        np.copyto(out, block, casting="safe")


def half_rows_dot(rows: Halves, query: Floats) -> Floats:
    """rows @ query with float16 rows, multiplied and summed in float32 (BLAS), chunk by chunk.

    A float16 dot product in numpy is slower still and rounds its result to
    float16 (3 significant digits); widening a chunk at a time keeps float32
    accuracy (within 1e-4 of the float32 vectors' scores) at the cost of the
    copy.
    """
    n = rows.shape[0]
    out = np.empty(n, dtype=np.float32)
    if n == 0:
        return out
    buffer = np.empty((min(n, WIDEN_ROWS), rows.shape[1]), dtype=np.float32)
    for start in range(0, n, WIDEN_ROWS):
        end = min(n, start + WIDEN_ROWS)
        chunk = buffer[: end - start]
        widen_into(chunk, rows[start:end])
        np.matmul(chunk, query, out=out[start:end])
    return out


def top_rows(scores: Floats, alive: npt.NDArray[np.bool_], limit: int) -> list[int]:
    """Rows of the `limit` best positive scores among live rows, best first (ties: row order)."""
    positive = np.flatnonzero((scores > 0) & alive[: len(scores)])
    if positive.size == 0 or limit <= 0:
        return []
    if positive.size > limit:
        part = np.argpartition(-scores[positive], limit - 1)[:limit]
        positive = positive[part]
    order = np.lexsort((positive, -scores[positive]))
    return [int(i) for i in positive[order]]
