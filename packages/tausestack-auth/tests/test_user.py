from __future__ import annotations

import pydantic
import pytest

from tausestack.auth import TokenPair, User


@pytest.mark.parametrize("field", ["uid", "sub", "user_id"])
def test_uid_accepts_databutton_aliases(field: str) -> None:
    user = User.model_validate({field: "u-1", "email": "ada@example.com"})
    assert user.uid == user.sub == user.user_id == "u-1"


def test_defaults_and_roles() -> None:
    user = User(uid="u", roles=["admin", "editor"])
    assert user.claims == {}
    assert not user.disabled
    assert user.has_roles("admin", "editor")
    assert not user.has_roles("admin", "owner")


def test_user_is_immutable_and_needs_an_id() -> None:
    user = User(uid="u")
    with pytest.raises(pydantic.ValidationError):
        user.email = "x@example.com"  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        User(uid="")


def test_token_pair_repr_hides_tokens() -> None:
    pair = TokenPair(
        access_token="eyJaccess.secret.part", refresh_token="eyJrefresh.secret.part", expires_in=900
    )
    assert "secret" not in repr(pair)
    assert "secret" not in str(pair)
    assert pair.token_type == "bearer"
