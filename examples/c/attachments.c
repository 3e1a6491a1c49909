/* Attachments: upload from bytes and from a file, send one in a message, delete it. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <unistd.h>

#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    char *out = NULL, *url, *conv, body[512], path[] = "/tmp/sunco-example-XXXXXX";
    sunco_error *err = NULL;
    int fd = mkstemp(path);

    RUN("UploadAttachment (bytes)", sunco_attachments_upload_bytes(client, app, "{\"access\":\"public\"}", png,
                                                                    sizeof png, "logo.png", "image/png", &out, &err));
    url = example_field(out, "attachment.mediaUrl");
    if (fd < 0 || write(fd, "hello from C\n", 13) != 13) return 1;
    close(fd);
    RUN("UploadAttachment (path)", sunco_attachments_upload(client, app, "{\"access\":\"public\"}", path, "hello.txt",
                                                             NULL, &out, &err));
    unlink(path);
    RUN("CreateConversation", sunco_conversations_create(client, app, "{\"type\":\"sdkGroup\"}", &out, &err));
    conv = example_field(out, "id");
    snprintf(body, sizeof body,
             "{\"author\":{\"type\":\"business\"},\"content\":{\"type\":\"image\",\"mediaUrl\":\"%s\"}}", url);
    RUN("PostMessage (image)", sunco_messages_post(client, app, conv, body, &out, &err));
    snprintf(body, sizeof body, "{\"mediaUrl\":\"%s\"}", url);
    RUN("DeleteAttachment", sunco_attachments_delete(client, app, body, &out, &err));
    sunco_string_free(out);
    free(url);
    free(conv);
    sunco_client_free(client);
    return 0;
}
