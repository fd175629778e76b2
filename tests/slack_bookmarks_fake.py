"""The bookmarks half of the loopback Slack fake: bookmarks.list/add/edit, refusing what Slack refuses."""

from __future__ import annotations

import itertools
from typing import Any

BOOKMARKS_PER_CHANNEL = 100  # Slack's limit for one conversation
_ids = itertools.count(1)


class BookmarkMethods:
    """Bookmarks per channel in `bookmarks`; `bookmark_changes` counts every add and edit (a test of "only when
    the state changes" reads it). Like Slack, a link must be http(s) and a title non-empty."""

    @property
    def bookmarks(self) -> dict[str, list[dict[str, Any]]]:
        return self.__dict__.setdefault("_bookmarks", {})

    @property
    def bookmark_changes(self) -> list[tuple[str, str]]:
        return self.__dict__.setdefault("_bookmark_changes", [])

    @staticmethod
    def _bookmark_problem(args: dict[str, Any]) -> dict[str, Any] | None:
        if "link" in args and not str(args["link"]).startswith(("http://", "https://")):
            return {"ok": False, "error": "invalid_link"}
        if "title" in args and not str(args["title"]).strip():
            return {"ok": False, "error": "invalid_title"}
        return None

    def _bookmarks_list(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        return {"bookmarks": list(self.bookmarks.get(str(args.get("channel_id")), []))}

    def _bookmarks_add(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if refused := self._bookmark_problem(args):
            return refused
        channel = str(args.get("channel_id"))
        if args.get("type") != "link" or "link" not in args:
            return {"ok": False, "error": "invalid_bookmark_type"}
        if len(self.bookmarks.get(channel, [])) >= BOOKMARKS_PER_CHANNEL:
            return {"ok": False, "error": "too_many_bookmarks"}
        mark = {k: args[k] for k in ("title", "link", "emoji") if k in args}
        mark |= {"id": f"Bk{next(_ids):06d}", "channel_id": channel, "type": "link"}
        self.bookmarks.setdefault(channel, []).append(mark)
        self.bookmark_changes.append((channel, str(args["title"])))
        return {"bookmark": mark}

    def _bookmarks_edit(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        if refused := self._bookmark_problem(args):
            return refused
        channel = str(args.get("channel_id"))
        found = [b for b in self.bookmarks.get(channel, []) if b["id"] == args.get("bookmark_id")]
        if not found:
            return {"ok": False, "error": "not_found"}
        found[0].update({k: args[k] for k in ("title", "link", "emoji") if k in args})
        self.bookmark_changes.append((channel, str(found[0]["title"])))
        return {"bookmark": found[0]}
