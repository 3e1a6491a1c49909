/* Switchboards: create one (one per app), list, update, delete. Enabling one needs a default
 * switchboard integration: see switchboard_integrations.c. */
#include "example.h"

int main(void) {
    sunco_client *client = example_client(NULL, NULL);
    const char *app = getenv("SUNCO_APP_ID");
    char *out = NULL, *id;
    sunco_error *err = NULL;

    RUN("CreateSwitchboard", sunco_switchboards_create(client, app, &out, &err));
    id = example_field(out, "switchboard.id");
    RUN("ListSwitchboards", sunco_switchboards_list(client, app, &out, &err));
    RUN("UpdateSwitchboard", sunco_switchboards_update(client, app, id, "{\"enabled\":false}", &out, &err));
    RUN("DeleteSwitchboard", sunco_switchboards_delete(client, app, id, &out, &err));
    sunco_string_free(out);
    free(id);
    sunco_client_free(client);
    return 0;
}
