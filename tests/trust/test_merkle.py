"""The Merkle tree of RFC 9162 against the published RFC 6962 test data (the transparency-dev reference tests:
eight leaves, the roots of every size, audit paths and consistency proofs), and its verifiers refusing forgeries."""

from __future__ import annotations

import random

import pytest

from wireroom.trust.merkle import Tree, leaf_hash, verify_consistency, verify_inclusion

LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f")]
ROOTS = [bytes.fromhex(h) for h in (
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]
# (leaf index, tree size, audit path)
INCLUSION = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]
# (first size, second size, proof)
CONSISTENCY = [
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]

TREE = Tree([leaf_hash(leaf) for leaf in LEAVES])


@pytest.mark.parametrize("size", range(len(ROOTS)))
def test_the_root_of_every_size_is_the_published_one(size: int) -> None:
    assert TREE.root(size) == ROOTS[size]


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_audit_paths_are_the_published_ones_and_verify(index: int, size: int, path: list[str]) -> None:
    proof = TREE.inclusion(index, size)
    assert proof == [bytes.fromhex(h) for h in path]
    assert verify_inclusion(leaf=LEAVES[index], index=index, size=size, proof=proof, root=ROOTS[size])


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_a_wrong_index_leaf_size_or_altered_path_does_not_verify(index: int, size: int, path: list[str]) -> None:
    proof = [bytes.fromhex(h) for h in path]
    root = ROOTS[size]
    assert not verify_inclusion(leaf=LEAVES[index], index=index ^ 1, size=size, proof=proof, root=root)
    assert not verify_inclusion(leaf=LEAVES[index] + b"x", index=index, size=size, proof=proof, root=root)
    assert not verify_inclusion(leaf=LEAVES[index], index=index, size=size * 2, proof=proof, root=root)
    assert not verify_inclusion(leaf=LEAVES[index], index=index, size=size, proof=[*proof, root], root=root)
    assert not verify_inclusion(leaf=LEAVES[index], index=index, size=size, proof=proof[:-1], root=root)
    for i in range(len(proof)):
        altered = list(proof)
        altered[i] = bytes([altered[i][0] ^ 8]) + altered[i][1:]
        assert not verify_inclusion(leaf=LEAVES[index], index=index, size=size, proof=altered, root=root)


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY)
def test_consistency_proofs_are_the_published_ones_and_verify(first: int, second: int, path: list[str]) -> None:
    proof = TREE.consistency(first, second)
    assert proof == [bytes.fromhex(h) for h in path]
    assert verify_consistency(first=first, second=second, first_root=ROOTS[first], second_root=ROOTS[second],
                              proof=proof)


@pytest.mark.parametrize(("first", "second", "path"), CONSISTENCY)
def test_a_forged_consistency_proof_does_not_verify(first: int, second: int, path: list[str]) -> None:
    proof = [bytes.fromhex(h) for h in path]
    a, b = ROOTS[first], ROOTS[second]
    assert not verify_consistency(first=first, second=second, first_root=b, second_root=a, proof=proof)
    assert not verify_consistency(first=first + 1, second=second, first_root=a, second_root=b, proof=proof)
    assert not verify_consistency(first=first, second=second, first_root=a, second_root=b, proof=[])
    assert not verify_consistency(first=first, second=second, first_root=a, second_root=b, proof=proof[:-1])
    assert not verify_consistency(first=first, second=second, first_root=a, second_root=b, proof=[*proof, b])
    for i in range(len(proof)):
        altered = list(proof)
        altered[i] = bytes([altered[i][0] ^ 16]) + altered[i][1:]
        assert not verify_consistency(first=first, second=second, first_root=a, second_root=b, proof=altered)


def test_every_proof_of_every_small_tree_verifies() -> None:
    leaves = [random.Random(n).randbytes(n % 7) for n in range(70)]
    tree = Tree([leaf_hash(leaf) for leaf in leaves])
    for size in range(1, len(leaves) + 1):
        root = tree.root(size)
        assert root == Tree([leaf_hash(leaf) for leaf in leaves[:size]]).root(size)
        for index in range(size):
            assert verify_inclusion(leaf=leaves[index], index=index, size=size, proof=tree.inclusion(index, size),
                                    root=root)
        for first in range(size + 1):
            assert verify_consistency(first=first, second=size, first_root=tree.root(first), second_root=root,
                                      proof=tree.consistency(first, size))
