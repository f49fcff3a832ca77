"""Authentication the unmodified bodhi-client completes on its own: an OIDC identity provider under
openidc/ (or openidc/as/<user>/ to log in as someone else), /oidc/login-token setting auth_tkt, and /csrf
with a signed session cookie. Tokens and cookies are signed, not stored: they survive a host restart."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, jsonify, make_response, request
from itsdangerous import BadSignature, URLSafeSerializer

from stagingqa.mocks.bodhi.errors import fail
from stagingqa.mocks.worlds import WorldState

bp = Blueprint("identity", __name__)
SIGNER = URLSafeSerializer("stagingqa-mock-bodhi")  # a mock on loopback: the secret guards nothing real
CODES = URLSafeSerializer("stagingqa-mock-bodhi-codes", signer_kwargs={"sep": ";"})  # the client's code regex
# accepts only [\w\-_=;&]: no '.' separator in authorization codes
SCOPE = (
    "openid email profile https://id.fedoraproject.org/scope/groups "
    "https://id.fedoraproject.org/scope/agreements"
)


def world() -> WorldState:
    return request.environ["stagingqa.world"]


def idp_root(user: str | None) -> str:
    base = request.host_url.rstrip("/") + request.script_root + "/openidc"
    return f"{base}/as/{user}" if user else base


def default_user() -> str:
    return world().world.bodhi.default_user


@bp.get("/openidc/.well-known/openid-configuration")
@bp.get("/openidc/as/<user>/.well-known/openid-configuration")
def discovery(user: str | None = None) -> Any:
    root = idp_root(user)
    return jsonify(
        issuer=root,
        authorization_endpoint=f"{root}/Authorization",
        token_endpoint=f"{root}/Token",
        userinfo_endpoint=f"{root}/UserInfo",
        introspection_endpoint=f"{root}/TokenInfo",
        response_types_supported=["code"],
        response_modes_supported=["query", "fragment", "form_post"],
        grant_types_supported=["authorization_code", "refresh_token"],
        scopes_supported=SCOPE.split(),
        token_endpoint_auth_methods_supported=["none", "client_secret_post"],
    )


@bp.get("/openidc/Authorization")
@bp.get("/openidc/as/<user>/Authorization")
def authorize(user: str | None = None) -> Any:
    """Answer 200 with the code in the page title: what bodhi-client's non-interactive login reads."""
    code = CODES.dumps({"user": user or default_user(), "nonce": secrets.token_hex(8)})
    state = request.args.get("state", "")
    page = f"<html><head><title>code={code}&state={state}</title></head><body>Logged in.</body></html>"
    return page, 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.post("/openidc/Token")
@bp.post("/openidc/as/<user>/Token")
def token(user: str | None = None) -> Any:
    grant = request.form.get("grant_type", "")
    try:
        if grant == "authorization_code":
            who = CODES.loads(request.form.get("code") or "")["user"]
        else:
            who = SIGNER.loads(request.form.get("refresh_token") or "")["user"]
    except (BadSignature, KeyError, TypeError):
        return jsonify(error="invalid_grant", error_description="unknown or malformed code"), 400
    return jsonify(
        access_token=SIGNER.dumps({"user": who, "kind": "access"}),
        token_type="Bearer",  # noqa: S106 - the OAuth token type, not a password
        expires_in=3600,
        refresh_token=SIGNER.dumps({"user": who, "kind": "refresh"}),
        scope=SCOPE,
    )


def bearer_user() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    try:
        return SIGNER.loads(header[7:])["user"]
    except (BadSignature, KeyError, TypeError):
        return None


@bp.get("/openidc/UserInfo")
@bp.get("/openidc/as/<user>/UserInfo")
def userinfo(user: str | None = None) -> Any:
    who = bearer_user()
    if who is None:
        return jsonify(error="invalid_token"), 401
    groups: list[str] = next((list(u.groups) for u in world().world.users if u.name == who), [])
    return jsonify(sub=who, nickname=who, email=f"{who}@example.com", groups=list(groups))


@bp.post("/openidc/TokenInfo")
@bp.post("/openidc/as/<user>/TokenInfo")
def token_info(user: str | None = None) -> Any:
    try:
        who = SIGNER.loads(request.form.get("token", ""))["user"]
    except (BadSignature, KeyError, TypeError):
        return jsonify(active=False)
    return jsonify(active=True, scope=SCOPE, username=who, exp=2**31 - 1)


@bp.get("/oidc/login-token")
def login_token() -> Any:
    if "Authorization" not in request.headers:
        raise fail(
            "body",
            "MissingAuthorizationError",
            "missing_authorization: Missing 'Authorization' in headers.",
            401,
        )
    who = bearer_user()
    if who is None:
        raise fail(
            "body",
            "InvalidTokenError",
            "invalid_token: The access token provided is expired, revoked, "
            "malformed, or invalid for other reasons.",
            401,
        )
    response = make_response(
        jsonify(
            message="The request is accepted for processing.\n\n\n\n\n", code="202 Accepted", title="Accepted"
        ),
        202,
    )
    # no Domain attribute: the client then finds the cookie for 127.0.0.1 and logs in once
    response.set_cookie("auth_tkt", SIGNER.dumps({"user": who}), max_age=86400, path="/", samesite="Strict")
    return response


def cookie_user() -> str | None:
    """The identity: only from the auth_tkt cookie, as real Bodhi does."""
    try:
        return SIGNER.loads(request.cookies.get("auth_tkt", ""))["user"]
    except (BadSignature, KeyError, TypeError):
        return None


def session_token() -> str | None:
    try:
        return SIGNER.loads(request.cookies.get("session", ""))["csrf"]
    except (BadSignature, KeyError, TypeError):
        return None


@bp.get("/csrf")
def csrf() -> Any:
    current = session_token()
    value = current or secrets.token_hex(20)
    if "text/html" in request.headers.get("Accept", ""):
        response = make_response(value, 200, {"Content-Type": "text/plain"})
    else:
        response = make_response(jsonify(csrf_token=value))
    if current is None:
        response.set_cookie("session", SIGNER.dumps({"csrf": value}), path="/", samesite="Lax")
    return response
