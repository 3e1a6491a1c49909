"""OAuth: the Authorize URL, a token for a code, its info, and revoking it."""

from _demo import client

import sunco

with client() as c:
    print(
        "send the browser to", c.authorize_url(client_id="demo-oauth-client", response_type="code")
    )
    token = c.oauth().get_token(
        code="demo-code",
        grant_type="authorization_code",
        client_id="demo-oauth-client",
        client_secret="demo-oauth-secret",
    )
    assert token.access_token is not None
    print("token type", token.token_type)
    with sunco.Client.from_env(token=token.access_token) as as_partner:
        print("token info:", as_partner.oauth().token_info().app)
        as_partner.oauth().revoke_access()
        print("revoked")
