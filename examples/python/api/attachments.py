"""Attachments: upload from bytes, a path or a file object; send it; delete it."""

import tempfile
from pathlib import Path

from _demo import APP_ID, client

from sunco import content

with client() as c, tempfile.TemporaryDirectory() as tmp:
    app = c.app(APP_ID)
    conv = app.conversations().create(type="personal", participants=[{"userExternalId": "alice"}])
    assert conv.conversation is not None
    assert conv.conversation.id is not None
    cid = conv.conversation.id
    from_bytes = app.attachments().upload(b"hello", access="public", file_name="hello.txt")
    path = Path(tmp, "notes.txt")
    path.write_text("notes")
    from_path = app.attachments().upload(path, access="public")
    with path.open("rb") as f:
        from_file = app.attachments().upload(
            f, access="public", for_="message", conversation_id=cid
        )
    urls = [u.attachment.media_url for u in (from_bytes, from_path, from_file) if u.attachment]
    print("uploaded", urls)
    assert urls[0] is not None
    app.messages(cid).post(author=content.business(), content=content.file(urls[0], text="Here"))
    app.attachments().delete(media_url=urls[0])
    print("deleted", urls[0])
