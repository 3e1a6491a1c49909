/* Integrations: a custom integration with a webhook; list, get, update, delete. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL, *id;
    sunco_error *err = NULL;

    RUN("CreateIntegration",
        sunco_integrations_create(client, app,
                                  "{\"type\":\"custom\",\"displayName\":\"C bot\",\"webhooks\":[{\"target\":"
                                  "\"http://127.0.0.1:9/hook\",\"triggers\":[\"conversation:message\"]}]}",
                                  &out, &err));
    id = example_field(out, "integration.id");
    RUN("ListIntegrations", sunco_integrations_list(client, app, "{\"filter\":{\"types\":\"custom\"}}", &out, &err));
    RUN("GetIntegration", sunco_integrations_get(client, app, id, &out, &err));
    RUN("UpdateIntegration", sunco_integrations_update(client, app, id, "{\"displayName\":\"C bot 2\"}", &out, &err));
    RUN("DeleteIntegration", sunco_integrations_delete(client, app, id, &out, &err));
    sunco_string_free(out);
    free(id);
    sunco_client_free(client);
    return 0;
}
