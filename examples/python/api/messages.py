"""Messages: post (text with quick replies, a carousel), list (newest page first), delete."""

from _demo import APP_ID, client

from sunco import content
from sunco.models import CarouselMessage, TextMessage

with client() as c:
    app = c.app(APP_ID)
    conv = app.conversations().create(type="personal", participants=[{"userExternalId": "alice"}])
    assert conv.conversation is not None
    assert conv.conversation.id is not None
    messages = app.messages(conv.conversation.id)
    hello = content.text(
        "How can we help?",
        actions=[content.reply("Billing", "billing"), content.reply("An agent", "agent")],
    )
    sent = messages.post(author=content.business(), content=hello)
    plans = content.carousel(
        [
            content.item("Basic", actions=[content.postback("Choose", "plan:basic")]),
            content.item(
                "Pro", description="For teams", actions=[content.link("See", "https://example.com")]
            ),
        ]
    )
    messages.post(author=content.business(), content=plans)
    for m in messages.iter():
        if isinstance(m.content, TextMessage):
            print(
                "text:", m.content.text, [a.to_dict()["payload"] for a in m.content.actions or []]
            )
        elif isinstance(m.content, CarouselMessage):
            print("carousel of", [i.title for i in m.content.items])
    first = (sent.messages or [])[0].id
    assert first is not None
    messages.delete(first)
    messages.delete_all()
    print("left:", len(messages.list().messages or []))
