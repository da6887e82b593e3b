from __future__ import annotations

from dataclasses import dataclass

import pytest

from wireroom.lib.registry import Registry


@dataclass(frozen=True)
class _Spec:
    name: str


class _Unknown(LookupError):
    pass


def test_a_registry_lists_its_plug_ins_by_name_and_refuses_a_second_of_the_same_name() -> None:
    kinds: Registry[_Spec] = Registry("widget")
    kinds.register(_Spec("zeta"))
    alpha = kinds.register(_Spec("alpha"))

    assert kinds.names() == ["alpha", "zeta"]
    assert [spec.name for spec in kinds] == ["alpha", "zeta"]
    assert kinds.get("alpha") is alpha and "alpha" in kinds and "beta" not in kinds
    with pytest.raises(ValueError, match="widget 'alpha' is registered twice"):
        kinds.register(_Spec("alpha"))


def test_an_unknown_name_raises_the_kinds_own_error_naming_the_known_ones() -> None:
    kinds: Registry[_Spec] = Registry("widget", missing=_Unknown)
    kinds.register(_Spec("alpha"))

    with pytest.raises(_Unknown, match=r"No widget named 'beta'; known: alpha\."):
        kinds.get("beta")
