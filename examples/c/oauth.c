/* OAuth Endpoints: the authorize URL to send a browser to, a code exchanged for a token, the
 * token's info, and revoking it. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    sunco_client *anonymous = example_client("unused", "unused"); /* GetToken sends no credentials */
    sunco_options *o = sunco_options_new();
    sunco_client *with_token = NULL;
    char *out = NULL, *token;
    sunco_error *err = NULL;
    const char *base = getenv("SUNCO_BASE_URL");

    RUN("Authorize (URL)", sunco_authorize_url(client, "{\"client_id\":\"demo-oauth-client\",\"response_type\":\"code\","
                                                       "\"state\":\"xyz\"}",
                                               &out, &err));
    RUN("GetToken", sunco_oauth_get_token(anonymous,
                                          "{\"code\":\"demo-code\",\"grant_type\":\"authorization_code\",\"client_id\":"
                                          "\"demo-oauth-client\",\"client_secret\":\"demo-oauth-secret\"}",
                                          &out, &err));
    token = example_field(out, "access_token");
    example_check("a client with the token",
                  sunco_options_set_base_url(o, base ? base : "http://127.0.0.1:8080", &err) == SUNCO_OK
                      ? sunco_options_set_bearer_token(o, token ? token : "", &err) == SUNCO_OK
                            ? sunco_client_new(o, &with_token, &err)
                            : SUNCO_CONFIG
                      : SUNCO_CONFIG,
                  err, "");
    RUN("GetTokenInfo", sunco_oauth_token_info(client, &out, &err));
    RUN("RevokeAccess", sunco_oauth_revoke_access(with_token, &out, &err));
    sunco_string_free(out);
    free(token);
    sunco_options_free(o);
    sunco_client_free(with_token);
    sunco_client_free(anonymous);
    sunco_client_free(client);
    return 0;
}
