/* Participants: join a user to a conversation, list them page by page, leave. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL, *conv;
    sunco_error *err = NULL;

    RUN("CreateConversation", sunco_conversations_create(
                                  client, app, "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"alice\"}]}",
                                  &out, &err));
    conv = example_field(out, "id");
    RUN("JoinConversation", sunco_participants_join(client, app, conv, "{\"userExternalId\":\"bob\"}", &out, &err));
    RUN("ListParticipants", sunco_participants_list(client, app, conv, "{\"page\":{\"size\":10}}", &out, &err));
    RUN("LeaveConversation", sunco_participants_leave(client, app, conv, "{\"userExternalId\":\"bob\"}", &out, &err));
    sunco_string_free(out);
    free(conv);
    sunco_client_free(client);
    return 0;
}
