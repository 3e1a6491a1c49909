/* Activities: the business has read the conversation, then types. */
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
    RUN("PostActivity (read)", sunco_activities_post(client, app, conv,
                                                     "{\"author\":{\"type\":\"business\"},\"type\":\"conversation:read\"}",
                                                     &out, &err));
    RUN("PostActivity (typing)",
        sunco_activities_post(client, app, conv, "{\"author\":{\"type\":\"business\"},\"type\":\"typing:start\"}", &out,
                              &err));
    sunco_string_free(out);
    free(conv);
    sunco_client_free(client);
    return 0;
}
