"""Users and sessions: getUser, getLoggedInUser, login (password) and logout."""

from __future__ import annotations

import secrets
from typing import Any

from stagingqa.mocks.koji import shapes
from stagingqa.mocks.koji.errors import AuthError, GenericError
from stagingqa.mocks.koji.lookups import find_user

SESSIONS = "koji.sessions"  # world cache: session id -> (key, user id)


def get_user(
    call: Any, userInfo: Any = None, strict: bool = False, krb_princs: bool = True, groups: bool = False
) -> dict[str, Any] | None:
    if userInfo is None:
        return None if call.user is None else shapes.user_info(call.user, groups)
    if isinstance(userInfo, str) and "@" in userInfo:
        userInfo = userInfo.split("@", 1)[0]
    user = find_user(call.session, userInfo)
    if user is None:
        if strict:
            raise GenericError(f"No such user: {userInfo}")
        return None
    row = shapes.user_info(user, groups)
    if not krb_princs:
        del row["krb_principals"]
    return row


def get_logged_in_user(call: Any) -> dict[str, Any] | None:
    if call.user is None:
        return None
    return {**shapes.user_info(call.user), "authtype": 0, "krb_principal": None}


def login(
    call: Any, user: str, password: str, opts: Any = None, renew: bool = False, exclusive: bool = False
) -> dict[str, Any]:
    """A password session; the password is the one the world gives the user, or the user name."""
    found = find_user(call.session, user) if isinstance(user, str) else None
    if found is None or password != _password(call, found.name):
        raise AuthError("Invalid username or password")
    sessions = call.state.cache.setdefault(SESSIONS, {})
    session_id = len(sessions) + 1 + secrets.randbelow(1000) * 1000
    key = f"{found.id}-{secrets.token_hex(10)}"
    sessions[session_id] = (key, found.id)
    return {"session-id": session_id, "session-key": key, "header-auth": True}


def logout(call: Any, session_id: Any = None) -> None:
    call.state.cache.get(SESSIONS, {}).pop(call.session_id, None)
    return None


def _password(call: Any, name: str) -> str:
    """The world file's `password` for the user, else the user's own name."""
    for user in call.state.world.users:
        if user.name == name and user.password:
            return str(user.password)
    return name
