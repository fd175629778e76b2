"""The user-token half of the loopback Slack fake: the owner's status (users.profile.*), snooze (dnd.*) and direct
messages (conversations only the owner's token may read or post in)."""

from __future__ import annotations

import json
import math
import re
import time
from typing import Any

USER_TOKEN = "xoxp-test-T1"  # the owner's user token; team_of() reads T1 from it like from the bot's
TOKEN_OWNER = "U_OWNER"
DM_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "conversations.history", "conversations.replies"})
STATUS_TEXT_LIMIT = 100
_EMOJI = re.compile(r"^(?::[a-z0-9_+'-]+:)?$")


class UserTokenMethods:
    """Answers like Slack to the methods that need a user token: a missing token is not_authed, a bot token
    not_allowed_token_type, any other unknown token invalid_auth. `status` and `snooze_until` are the owner's."""

    status: dict[str, Any]
    snooze_until: float | None

    def _init_user_methods(self) -> None:
        self.status = {"status_text": "", "status_emoji": "", "status_expiration": 0}
        self.snooze_until = None
        self.owner_dms: set[str] = set()  # the owner's direct messages with others: the bot is in none of them
        self.user_scopes = ["users.profile:read", "users.profile:write", "dnd:write", "im:history", "chat:write"]

    def _not_the_owners(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any] | None:
        """Like Slack, a conversation is invisible to a token whose user is not in it: the bot's in the owner's
        direct messages, the owner's in the bot's (channel_not_found); an ephemeral message needs a channel."""
        channel = str(args.get("channel", ""))
        if method not in DM_METHODS or not channel.startswith(("D", "G")):
            return None
        if (channel in self.owner_dms) != str(token).startswith("xoxp-"):  # any owner's user token
            return {"ok": False, "error": "channel_not_found"}
        if method == "chat.postEphemeral" and channel in self.owner_dms:
            return {"ok": False, "error": "user_not_in_channel"}
        return None

    @staticmethod
    def _author(token: str | None, bot_user: str, bot_id: str) -> dict[str, Any]:
        """Who a posted message is from: the owner for their token (no bot_id), else the bot."""
        return {"user": TOKEN_OWNER} if str(token).startswith("xoxp-") else {"user": bot_user, "bot_id": bot_id}

    def _scope_headers(self, token: str | None) -> dict[str, str]:
        """Slack names a token's scopes in every answer to it; the owner's are `user_scopes`."""
        return {"x-oauth-scopes": ",".join(self.user_scopes)} if token == USER_TOKEN else {}

    def _user_auth_test(self) -> dict[str, Any]:
        return {
            "url": "https://t1.slack.example/",
            "team": "Team T1",
            "user": "olivia",
            "team_id": "T1",
            "user_id": TOKEN_OWNER,
            "is_enterprise_install": False,
        }

    def _oauth_v2_access(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        """An install in T9 by `installer` (with a user token when `installer_token` is set: the owner's own
        install); a refresh_token grant rotates the user token when `rotations` says what comes next."""
        if args.get("grant_type") == "refresh_token":
            new = self.__dict__.setdefault("rotations", []).pop(0)
            return {"access_token": new, "token_type": "user", "refresh_token": f"r-{new}", "expires_in": 43200}
        user: dict[str, Any] = {"id": self.__dict__.get("installer", "U_INSTALLER")}
        if user_token := self.__dict__.get("installer_token"):
            expires = self.__dict__.get("installer_token_expires_in")
            user |= {"access_token": user_token, "token_type": "user", "scope": "im:history,chat:write"}
            user |= {"refresh_token": "r-first", "expires_in": expires} if expires is not None else {}
        return {
            "access_token": "xoxb-test-T9",
            "token_type": "bot",
            "scope": "chat:write,commands",
            "bot_user_id": "U_BOTT9",
            "app_id": "A1",
            "team": {"id": "T9", "name": "Ninth Client Co"},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": user,
        }

    def _chat_delete(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        """Like Slack for a token without admin rights: a user token deletes its own user's messages, a bot token
        the bot's; anything else is cant_delete_message, a ts not in the channel message_not_found."""
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        messages = self.history[channel]  # type: ignore[attr-defined]
        found = next((m for m in messages if m.get("ts") == ts), None)
        if found is None:
            return {"ok": False, "error": "message_not_found"}
        owners = str(token).startswith("xoxp-")
        if not (found.get("user") == TOKEN_OWNER and "bot_id" not in found if owners else "bot_id" in found):
            return {"ok": False, "error": "cant_delete_message"}
        messages.remove(found)
        return {"channel": channel, "ts": ts}

    def _conversations_open(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(args.get("users"))}}

    @staticmethod
    def _user_auth(token: str | None) -> dict[str, Any] | None:
        if not token:
            return {"ok": False, "error": "not_authed"}
        if token.startswith("xoxb-"):
            return {"ok": False, "error": "not_allowed_token_type"}
        if token != USER_TOKEN:
            return {"ok": False, "error": "invalid_auth"}
        return None

    def _users_profile_get(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if refused := self._user_auth(token):
            return refused
        return {"profile": {"real_name": "Olivia", **self.status}}  # set it yourself to play Slack's expiry

    def _users_profile_set(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if refused := self._user_auth(token):
            return refused
        try:
            profile = json.loads(args["profile"]) if isinstance(args.get("profile"), str) else args.get("profile")
        except json.JSONDecodeError:
            profile = None
        if not isinstance(profile, dict):
            return {"ok": False, "error": "invalid_profile"}
        text, emoji = str(profile.get("status_text", "")), str(profile.get("status_emoji", ""))
        if len(text) > STATUS_TEXT_LIMIT:
            return {"ok": False, "error": "too_long", "detail": f"status_text is over {STATUS_TEXT_LIMIT} characters"}
        if not _EMOJI.fullmatch(emoji):
            return {"ok": False, "error": "invalid_emoji"}
        if not isinstance(profile.get("status_expiration", 0), int):
            return {"ok": False, "error": "invalid_profile"}
        self.status = {
            "status_text": text,
            "status_emoji": emoji,
            "status_expiration": profile.get("status_expiration", 0),
        }
        return {"profile": {"real_name": "Olivia", **self.status}}

    def _dnd_setSnooze(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if refused := self._user_auth(token):
            return refused
        minutes = str(args.get("num_minutes", ""))
        if not minutes:
            return {"ok": False, "error": "missing_duration"}
        if not minutes.isdigit() or int(minutes) == 0:
            return {"ok": False, "error": "invalid_arguments"}
        self.snooze_until = time.time() + int(minutes) * 60
        return {
            "snooze_enabled": True,
            "snooze_endtime": math.floor(self.snooze_until),
            "snooze_remaining": int(minutes) * 60,
        }

    def _dnd_endSnooze(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if refused := self._user_auth(token):
            return refused
        if self.snooze_until is None or self.snooze_until <= time.time():
            return {"ok": False, "error": "snooze_not_active"}
        self.snooze_until = None
        return {"dnd_enabled": True, "snooze_enabled": False}
