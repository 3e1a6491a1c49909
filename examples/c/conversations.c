/* Conversations: create, get, update, list (one page and every page), conversion events, delete. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL, *id;
    sunco_error *err = NULL;
    sunco_operation_iter *pages = NULL;

    RUN("CreateConversation",
        sunco_conversations_create(
            client, app, "{\"type\":\"sdkGroup\",\"participants\":[{\"userExternalId\":\"alice\"}],\"displayName\":\"C\"}",
            &out, &err));
    id = example_field(out, "id");
    RUN("GetConversation", sunco_conversations_get(client, app, id, &out, &err));
    RUN("UpdateConversation", sunco_conversations_update(client, app, id, "{\"description\":\"from C\"}", &out, &err));
    RUN("ListConversations", sunco_conversations_list(client, app, "{\"filter\":{\"userExternalId\":\"alice\"}}", &out, &err));
    example_check("ListConversations (pages)",
                  sunco_conversations_list_iter(client, app,
                                                "{\"filter\":{\"userExternalId\":\"alice\"},\"page\":{\"size\":2}}",
                                                &pages, &err),
                  err, "");
    while (sunco_operation_iter_next(pages, &out, &err) == SUNCO_OK && out) {
        printf("%-28s %.80s...\n", "  a page", out);
        sunco_string_free(out);
    }
    out = NULL;
    sunco_operation_iter_free(pages);
    RUN("PostConversionEvents",
        sunco_conversations_post_conversion_events(
            client, app, id, "{\"messenger\":{\"payload\":{\"data\":[{\"event_name\":\"Purchase\"}]}}}", &out, &err));
    example_check("DeleteConversation", sunco_conversations_delete(client, app, id, &err), err, "");
    sunco_string_free(out);
    free(id);
    sunco_client_free(client);
    return 0;
}
