/* Switchboard Integrations: a bot and an agent desk on a switchboard; list, update, delete. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL, *board, *bot, *agent, *integration, body[256];
    sunco_error *err = NULL;

    RUN("CreateIntegration", sunco_integrations_create(client, app, "{\"type\":\"custom\",\"displayName\":\"Bot\",\"webhooks\":[{\"target\":"
                                                       "\"http://127.0.0.1:9/hook\",\"triggers\":[\"conversation:message\"]}]}",
                                                       &out, &err));
    integration = example_field(out, "integration.id");
    RUN("CreateSwitchboard", sunco_switchboards_create(client, app, &out, &err));
    board = example_field(out, "switchboard.id");
    snprintf(body, sizeof body, "{\"name\":\"bot\",\"integrationId\":\"%s\"}", integration);
    RUN("CreateSwitchboardIntegration", sunco_switchboard_integrations_create(client, app, board, body, &out, &err));
    bot = example_field(out, "switchboardIntegration.id");
    RUN("CreateSwitchboardIntegration",
        sunco_switchboard_integrations_create(client, app, board,
                                              "{\"name\":\"agent\",\"integrationType\":\"zd:agentWorkspace\"}", &out, &err));
    agent = example_field(out, "switchboardIntegration.id");
    RUN("ListSwitchboardIntegrations", sunco_switchboard_integrations_list(client, app, board, &out, &err));
    RUN("UpdateSwitchboardIntegration", sunco_switchboard_integrations_update(
                                            client, app, board, agent, "{\"deliverStandbyEvents\":false}", &out, &err));
    RUN("DeleteSwitchboardIntegration", sunco_switchboard_integrations_delete(client, app, board, agent, &out, &err));
    RUN("DeleteSwitchboard", sunco_switchboards_delete(client, app, board, &out, &err));
    sunco_string_free(out);
    free(agent);
    free(bot);
    free(board);
    free(integration);
    sunco_client_free(client);
    return 0;
}
