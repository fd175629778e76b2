"""The files half of the loopback Slack fake: files.uploadV2's three steps, as Slack checks them."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from aiohttp import web

_ids = itertools.count(1)


class FileMethods:
    """Uploads in `uploads` (file id: name, length asked for, bytes received); a completed upload is shared as a
    message of the bot's with `files`, in the channel's history (in its thread)."""

    @property
    def uploads(self) -> dict[str, dict[str, Any]]:
        return self.__dict__.setdefault("_uploads", {})

    def _files_getUploadURLExternal(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        length = str(args.get("length", ""))
        if not args.get("filename") or not length.isdigit() or int(length) == 0:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(_ids):08d}"
        self.uploads[file_id] = {"name": str(args["filename"]), "length": int(length), "data": None}
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}  # type: ignore[attr-defined]

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="no such upload")
        data = await request.read()
        if len(data) != upload["length"]:  # Slack refuses a body of another length than the one announced
            return web.Response(status=400, text="length mismatch")
        upload["data"] = data
        return web.Response(text=f"OK - {len(data)}")

    def _files_completeUploadExternal(self, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        listed = args.get("files")
        files = json.loads(listed) if isinstance(listed, str) else listed or []
        if not files or any(self.uploads.get(f.get("id"), {}).get("data") is None for f in files):
            return {"ok": False, "error": "file_uploads_incomplete"}
        shared = [{"id": f["id"], "name": self.uploads[f["id"]]["name"], "title": f.get("title")} for f in files]
        if channel := args.get("channel_id"):
            ts = f"{int(time.time())}.{next(_ids):06d}"
            message = {"type": "message", "user": "U_BOT", "bot_id": "B_BOT", "files": shared, "ts": ts}
            message["thread_ts"] = args.get("thread_ts")
            self.history[str(channel)].insert(0, message)  # type: ignore[attr-defined]
        return {"files": shared}
