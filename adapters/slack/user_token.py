"""The owner's optional user token (SLACK_USER_TOKEN): the scopes it needs, the feature each serves, and its check."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.oauth import AuthorizeUrlGenerator
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings

# Each user scope, as in slack/manifest.yml, and what it enables; a scope left out turns only that feature off.
USER_SCOPES = {
    "users.profile:read": "your status follows your closures (reading it back)",
    "users.profile:write": "your status follows your closures",
    "dnd:write": "your notifications are snoozed while you are closed",
    "im:history": "automatic replies to clients who message you directly",
    "mpim:history": "automatic replies in group direct messages with clients",
    "chat:write": "posting those replies in your name",
}
USER_EVENTS = ("message.im", "message.mpim")  # subscribed on behalf of users: direct messages to the owner
AS_OWNER = "owner"  # /slack/install?as=owner: the install also asks the installer for these user scopes
ROTATE_BEFORE_MINUTES = 10  # a rotating user token is refreshed this long before it expires


def owner_authorize_url(generator: AuthorizeUrlGenerator, state: str, query: dict[str, Any]) -> str | None:
    """With ?as=owner, Slack's authorize URL asking for the user scopes too (only the owner installs that way: a
    client's workspace is never asked for a token of its installer); None otherwise."""
    if AS_OWNER not in (query.get("as") or []):
        return None
    with_user = AuthorizeUrlGenerator(
        client_id=generator.client_id,
        redirect_uri=generator.redirect_uri,
        scopes=generator.scopes,
        user_scopes=list(USER_SCOPES),
        authorization_url=generator.authorization_url,
    )
    return with_user.generate(state, team=(query.get("team") or [None])[0])


def installed_owner_tokens(
    store: AsyncInstallationStore, rotator: AsyncTokenRotator | None, client: Callable[[str], AsyncWebClient]
) -> Callable[[str, str], Awaitable[AsyncWebClient | None]]:
    """The owner's user token as their own install (?as=owner) stored it, refreshed first when token rotation
    is on and it is about to expire (the refreshed one is stored)."""

    async def owner_client(workspace_id: str, owner_id: str) -> AsyncWebClient | None:
        found = await store.async_find_installation(enterprise_id=None, team_id=workspace_id, user_id=owner_id)
        if found is None or not found.user_token:
            return None
        if rotator is not None and found.user_refresh_token:
            rotated = await rotator.perform_user_token_rotation(
                installation=found, minutes_before_expiration=ROTATE_BEFORE_MINUTES
            )
            if rotated is not None:
                await store.async_save(rotated)
                found = rotated
        return client(found.user_token) if found.user_token else None

    return owner_client


async def check_user_token(settings: Settings) -> tuple[list[str], list[str]]:
    """Log in with SLACK_USER_TOKEN: whose it is and which scopes it lacks, each named with the feature it turns
    off. (passed lines, problems)."""
    from adapters.slack.client import web_client

    assert settings.slack_user_token is not None
    client = web_client(settings, settings.slack_user_token.get_secret_value(), retries=False)
    try:
        auth = await client.auth_test()
    except Exception as error:  # the token's text never reaches the report: only Slack's error code
        code = getattr(getattr(error, "response", None), "get", lambda _: None)("error")
        return [], [f"SLACK_USER_TOKEN: auth.test failed: {code or type(error).__name__}"]
    user = str(auth.get("user_id"))
    passed, problems = [f"SLACK_USER_TOKEN: logged in as {auth.get('user')} ({user})"], []
    if user not in settings.slack_owner_ids and not any(o.endswith(":" + user) for o in settings.slack_owner_ids):
        problems.append(f"SLACK_USER_TOKEN: belongs to {user}, who is not in SLACK_OWNER_IDS; use the owner's token")
    header = next((v for k, v in (auth.headers or {}).items() if k.lower() == "x-oauth-scopes"), "")
    granted = {s.strip() for s in (header[0] if isinstance(header, list) else header).split(",") if s.strip()}
    for scope, feature in USER_SCOPES.items():
        if scope not in granted:
            problems.append(f"SLACK_USER_TOKEN: lacks the {scope} scope, so this is off: {feature}")
    if not problems:
        passed.append("SLACK_USER_TOKEN: has every user scope (" + ", ".join(USER_SCOPES) + ")")
    return passed, problems
