/* Switchboard Actions: pass, release, offer and accept control of a conversation. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL, *conv, *board, path_body[256];
    sunco_error *err = NULL;

    RUN("CreateSwitchboard", sunco_switchboards_create(client, app, &out, &err));
    board = example_field(out, "switchboard.id");
    snprintf(path_body, sizeof path_body, "{\"name\":\"agent\",\"integrationType\":\"zd:agentWorkspace\"}");
    RUN("CreateSwitchboardIntegration", sunco_switchboard_integrations_create(client, app, board, path_body, &out, &err));
    RUN("CreateConversation", sunco_conversations_create(
                                  client, app, "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"alice\"}]}",
                                  &out, &err));
    conv = example_field(out, "id");
    RUN("PassControl", sunco_switchboard_actions_pass_control(client, app, conv, "{\"switchboardIntegration\":\"agent\"}",
                                                              &out, &err));
    RUN("ReleaseControl", sunco_switchboard_actions_release_control(client, app, conv, NULL, &out, &err));
    RUN("OfferControl", sunco_switchboard_actions_offer_control(
                            client, app, conv, "{\"switchboardIntegration\":\"agent\",\"metadata\":{\"reason\":\"vip\"}}",
                            &out, &err));
    RUN("AcceptControl",
        sunco_switchboard_actions_accept_control(client, app, conv, "{\"metadata\":{\"agent\":\"sue\"}}", &out, &err));
    RUN("GetConversation", sunco_conversations_get(client, app, conv, &out, &err));
    RUN("DeleteSwitchboard", sunco_switchboards_delete(client, app, board, &out, &err));
    sunco_string_free(out);
    free(conv);
    free(board);
    sunco_client_free(client);
    return 0;
}
