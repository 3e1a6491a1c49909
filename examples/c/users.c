/* Users: create, get, update, list by email, delete personal information, delete; and the
 * status a call gives for a user who is not there. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL;
    sunco_error *err = NULL;
    sunco_status s;

    RUN("CreateUser", sunco_users_create(client, app,
                                         "{\"externalId\":\"c-user\",\"profile\":{\"givenName\":\"Cee\",\"email\":"
                                         "\"cee@example.org\"}}",
                                         &out, &err));
    RUN("GetUser", sunco_users_get(client, app, "c-user", NULL, &out, &err));
    RUN("UpdateUser", sunco_users_update(client, app, "c-user", NULL, "{\"profile\":{\"surname\":\"Lang\"}}", &out, &err));
    RUN("ListUsers", sunco_users_list(client, app, "{\"filter\":{\"identities.email\":\"cee@example.org\"}}", &out, &err));
    RUN("DeleteUserPersonalInformation", sunco_users_delete_personal_information(client, app, "c-user", NULL, &out, &err));
    RUN("DeleteUser", sunco_users_delete(client, app, "c-user", NULL, &out, &err));
    s = sunco_users_get(client, app, "c-user", NULL, &out, &err);
    printf("%-28s %s (HTTP %u, %s)\n", "GetUser (deleted)", sunco_status_name(s), sunco_error_http_status(err),
           sunco_error_code(err));
    sunco_error_free(err);
    err = NULL;
    s = sunco_users_sync(client, app, "zd-unknown", NULL, &out, &err);
    printf("%-28s %s (HTTP %u, %s)\n", "SyncUser (no such user)", sunco_status_name(s), sunco_error_http_status(err),
           sunco_error_code(err));
    sunco_error_free(err);
    sunco_client_free(client);
    return 0;
}
