/* App Keys (account level): create a key for an app, list, get, delete. */
#include "example.h"

int main(void) {
    sunco_client *account = example_client("demo-account-key", "demo-account-secret");
    char *out = NULL, *key_id;
    sunco_error *err = NULL;
    const char *app = getenv("SUNCO_APP_ID") ? getenv("SUNCO_APP_ID") : "demo-app";

    RUN("CreateAppKey", sunco_app_keys_create(account, app, "{\"displayName\":\"C example key\"}", &out, &err));
    key_id = example_field(out, "key.id");
    RUN("ListAppKeys", sunco_app_keys_list(account, app, &out, &err));
    RUN("GetAppKey", sunco_app_keys_get(account, app, key_id, &out, &err));
    RUN("DeleteAppKey", sunco_app_keys_delete(account, app, key_id, &out, &err));
    sunco_string_free(out);
    free(key_id);
    sunco_client_free(account);
    return 0;
}
