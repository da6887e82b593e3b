"""The Merkle tree of RFC 9162 (Certificate Transparency 2.0, section 2.1) over SHA-256.

`Tree` follows the RFC's recursive definitions (MTH, PATH, PROOF and SUBPROOF) word for word; it keeps the hash
of every complete subtree aligned on its size, which is exactly the left child of every node of the RFC's tree, so
each MTH it needs is a lookup or a few hashes and a proof costs O(log² n). The verifiers are the RFC's algorithms
of sections 2.1.3.2 and 2.1.4.2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    def __init__(self, leaf_hashes: Sequence[bytes]) -> None:
        # levels[j][i]: the hash of the complete subtree of leaves [i·2^j, (i+1)·2^j).
        self.levels: list[list[bytes]] = [list(leaf_hashes)]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            self.levels.append([node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)])

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def mth(self, start: int, end: int) -> bytes:
        """MTH(D[start:end])."""
        n = end - start
        if n == 0:
            return hashlib.sha256(b"").digest()
        if n & (n - 1) == 0 and start % n == 0:
            return self.levels[n.bit_length() - 1][start // n]
        k = _split(n)
        return node_hash(self.mth(start, start + k), self.mth(start + k, end))

    def _path(self, m: int, start: int, end: int) -> list[bytes]:
        """PATH(m, D[start:end]), m counted from start."""
        n = end - start
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return [*self._path(m, start, start + k), self.mth(start + k, end)]
        return [*self._path(m - k, start + k, end), self.mth(start, start + k)]

    def _subproof(self, m: int, start: int, end: int, complete: bool) -> list[bytes]:
        """SUBPROOF(m, D[start:end], b)."""
        n = end - start
        if m == n:
            return [] if complete else [self.mth(start, end)]
        k = _split(n)
        if m <= k:
            return [*self._subproof(m, start, start + k, complete), self.mth(start + k, end)]
        return [*self._subproof(m - k, start + k, end, False), self.mth(start, start + k)]

    def root(self, size: int) -> bytes:
        return self.mth(0, size)

    def inclusion(self, index: int, size: int) -> list[bytes]:
        """The audit path of leaf `index` in the tree of the first `size` leaves."""
        if not 0 <= index < size <= self.size:
            raise ValueError(f"no leaf {index} in a tree of {size}")
        return self._path(index, 0, size)

    def consistency(self, first: int, second: int) -> list[bytes]:
        """PROOF(first, D[second]): the tree of `second` leaves extends the tree of `first`."""
        if not 0 <= first <= second <= self.size:
            raise ValueError(f"no consistency proof from {first} to {second} leaves")
        if first in (0, second):
            return []
        return self._subproof(first, 0, second, True)


def verify_inclusion(*, leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162, 2.1.3.2: does `proof` put `leaf`'s hash at `index` of the tree of `size` whose root is `root`?"""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(*, first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162, 2.1.4.2: is the tree of `second` leaves (`second_root`) an extension of that of `first`?"""
    if not 0 <= first <= second or any(len(p) != HASH_SIZE for p in proof):
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0
