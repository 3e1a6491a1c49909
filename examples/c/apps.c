/* Apps (account level: the account key): list, create, get, update, delete. */
#include "example.h"

int main(void) {
    sunco_client *account = example_client("demo-account-key", "demo-account-secret");
    char *out = NULL, *app_id;
    sunco_error *err = NULL;
    sunco_operation_iter *pages = NULL;
    size_t n = 0;

    RUN("CreateApp", sunco_apps_create(account, "{\"displayName\":\"C example\"}", &out, &err));
    app_id = example_field(out, "app.id");
    RUN("GetApp", sunco_apps_get(account, app_id, &out, &err));
    RUN("UpdateApp", sunco_apps_update(account, app_id, "{\"displayName\":\"C example, renamed\"}", &out, &err));
    /* Every page of the list, one app per page. */
    example_check("ListApps (pages)", sunco_apps_list_iter(account, "{\"page\":{\"size\":1}}", &pages, &err), err, "");
    while (sunco_operation_iter_next(pages, &out, &err) == SUNCO_OK && out) {
        n++;
        sunco_string_free(out);
    }
    out = NULL;
    printf("%-28s %lu pages of %s\n", "", (unsigned long)n, sunco_operation_iter_items(pages));
    sunco_operation_iter_free(pages);
    RUN("DeleteApp", sunco_apps_delete(account, app_id, &out, &err));
    sunco_string_free(out);
    free(app_id);
    sunco_client_free(account);
    return 0;
}
