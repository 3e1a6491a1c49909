/* Devices: the devices an SDK registered for a user (none for a fresh user), and how a missing
 * one is reported. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL;
    sunco_error *err = NULL;
    sunco_status s;

    RUN("ListDevices", sunco_devices_list(client, app, "alice", NULL, &out, &err));
    s = sunco_devices_get(client, app, "alice", "5f1c6e4b3a2d1c0b9a8f7e6d", NULL, &out, &err);
    printf("%-28s %s (HTTP %u, %s)\n", "GetDevice (unknown)", sunco_status_name(s), sunco_error_http_status(err),
           sunco_error_code(err));
    sunco_error_free(err);
    sunco_string_free(out);
    sunco_client_free(client);
    return 0;
}
