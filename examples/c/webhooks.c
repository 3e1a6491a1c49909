/* Webhooks: the webhooks of a custom integration (create, list, get, update, delete), and how a
 * receiver checks one request with sunco_webhook_parse (see bot.c for a whole server). */
#include "example.h"

#include <stdint.h>

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL, *integration, *webhook, *secret, *payload = NULL;
    sunco_error *err = NULL;
    const char *body = "{\"app\":{\"id\":\"demo-app\"},\"events\":[{\"id\":\"e1\",\"type\":\"conversation:typing\","
                       "\"payload\":{\"activity\":{\"type\":\"typing:start\"}}}]}";
    const char *names[1] = {"X-API-Key"}, *values[1];
    sunco_status s;

    RUN("CreateIntegration", sunco_integrations_create(client, app, "{\"type\":\"custom\",\"displayName\":\"Hooks\",\"webhooks\":[{\"target\":"
                                                       "\"http://127.0.0.1:9/hook\",\"triggers\":[\"conversation:message\"]}]}",
                                                       &out, &err));
    integration = example_field(out, "integration.id");
    RUN("CreateWebhook", sunco_webhooks_create(client, app, integration,
                                               "{\"target\":\"http://127.0.0.1:9/hook\",\"triggers\":"
                                               "[\"conversation:message\"],\"includeFullUser\":true}",
                                               &out, &err));
    webhook = example_field(out, "webhook.id");
    secret = example_field(out, "webhook.secret");
    RUN("ListWebhooks", sunco_webhooks_list(client, app, integration, &out, &err));
    RUN("GetWebhook", sunco_webhooks_get(client, app, integration, webhook, &out, &err));
    RUN("UpdateWebhook", sunco_webhooks_update(client, app, integration, webhook,
                                               "{\"triggers\":[\"conversation:message\",\"conversation:typing\"]}", &out,
                                               &err));

    /* A request as the service sends it: the secret in X-API-Key. */
    values[0] = secret;
    s = sunco_webhook_parse(secret, (const uint8_t *)body, strlen(body), names, values, 1, &payload, &err);
    example_check("sunco_webhook_parse", s, err, payload);
    sunco_string_free(payload);
    values[0] = "not the secret";
    s = sunco_webhook_parse(secret, (const uint8_t *)body, strlen(body), names, values, 1, &payload, &err);
    printf("%-28s %s: answer %u (%s)\n", "  with a wrong secret", sunco_status_name(s), sunco_error_http_status(err),
           sunco_error_code(err));
    sunco_error_free(err);
    err = NULL;

    RUN("DeleteWebhook", sunco_webhooks_delete(client, app, integration, webhook, &out, &err));
    sunco_string_free(out);
    free(secret);
    free(webhook);
    free(integration);
    sunco_client_free(client);
    return 0;
}
