/* Messages: post text with quick replies and a carousel, walk the history, delete. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL, *conv, *message;
    sunco_error *err = NULL;
    sunco_operation_iter *pages = NULL;

    RUN("CreateConversation", sunco_conversations_create(client, app, "{\"type\":\"sdkGroup\"}", &out, &err));
    conv = example_field(out, "id");
    RUN("PostMessage (text)",
        sunco_messages_post(client, app, conv,
                            "{\"author\":{\"type\":\"business\"},\"content\":{\"type\":\"text\",\"text\":\"Hi! Need help?\","
                            "\"actions\":[{\"type\":\"reply\",\"text\":\"Yes\",\"payload\":\"yes\"}]}}",
                            &out, &err));
    message = example_field(out, "messages.0.id");
    RUN("PostMessage (carousel)",
        sunco_messages_post(client, app, conv,
                            "{\"author\":{\"type\":\"business\"},\"content\":{\"type\":\"carousel\",\"items\":["
                            "{\"title\":\"Basic\",\"actions\":[{\"type\":\"postback\",\"text\":\"Choose\",\"payload\":\"basic\"}]},"
                            "{\"title\":\"Pro\",\"actions\":[{\"type\":\"postback\",\"text\":\"Choose\",\"payload\":\"pro\"}]}]}}",
                            &out, &err));
    /* The history, newest page first. */
    example_check("ListMessages (pages)", sunco_messages_list_iter(client, app, conv, NULL, &pages, &err), err, "");
    while (sunco_operation_iter_next(pages, &out, &err) == SUNCO_OK && out) {
        printf("%-28s %.80s...\n", "  a page", out);
        sunco_string_free(out);
    }
    out = NULL;
    sunco_operation_iter_free(pages);
    RUN("DeleteMessage", sunco_messages_delete(client, app, conv, message, &out, &err));
    RUN("DeleteAllMessages", sunco_messages_delete_all(client, app, conv, &out, &err));
    sunco_string_free(out);
    free(message);
    free(conv);
    sunco_client_free(client);
    return 0;
}
