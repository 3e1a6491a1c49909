/* Clients: link a user to a Twilio channel, list the user's clients, remove it. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL, *integration, *conv, *id, body[512];
    sunco_error *err = NULL;

    RUN("CreateIntegration", sunco_integrations_create(client, app,
                                                       "{\"type\":\"twilio\",\"accountSid\":\"ACa1b2\",\"authToken\":"
                                                       "\"secret\",\"phoneNumberSid\":\"PNa1b2\"}",
                                                       &out, &err));
    integration = example_field(out, "integration.id");
    RUN("CreateConversation", sunco_conversations_create(
                                  client, app, "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"alice\"}]}",
                                  &out, &err));
    conv = example_field(out, "id");
    snprintf(body, sizeof body,
             "{\"matchCriteria\":{\"type\":\"twilio\",\"integrationId\":\"%s\",\"phoneNumber\":\"+15145555555\"},"
             "\"confirmation\":{\"type\":\"immediate\"},\"target\":{\"conversationId\":\"%s\"}}",
             integration, conv);
    RUN("CreateClient", sunco_clients_create(client, app, "alice", NULL, body, &out, &err));
    id = example_field(out, "client.id");
    RUN("ListClients", sunco_clients_list(client, app, "alice", "{\"page\":{\"size\":10}}", &out, &err));
    RUN("RemoveClient", sunco_clients_remove(client, app, "alice", id, NULL, &out, &err));
    sunco_string_free(out);
    free(id);
    free(conv);
    free(integration);
    sunco_client_free(client);
    return 0;
}
