/* Custom integration API keys: create one for a custom integration, list, get, delete. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL, *integration, *key;
    sunco_error *err = NULL;

    RUN("CreateIntegration", sunco_integrations_create(client, app, "{\"type\":\"custom\",\"displayName\":\"Keys\",\"webhooks\":[{\"target\":"
                                                       "\"http://127.0.0.1:9/hook\",\"triggers\":[\"conversation:message\"]}]}",
                                                       &out, &err));
    integration = example_field(out, "integration.id");
    RUN("CreateCustomIntegrationKey",
        sunco_integration_keys_create(client, app, integration, "{\"displayName\":\"C key\"}", &out, &err));
    key = example_field(out, "key.id");
    RUN("ListCustomIntegrationKeys", sunco_integration_keys_list(client, app, integration, &out, &err));
    RUN("GetCustomIntegrationKey", sunco_integration_keys_get(client, app, integration, key, &out, &err));
    RUN("DeleteCustomIntegrationKey", sunco_integration_keys_delete(client, app, integration, key, &out, &err));
    sunco_string_free(out);
    free(key);
    free(integration);
    sunco_client_free(client);
    return 0;
}
