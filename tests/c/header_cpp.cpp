// The public header compiled as C++17 (-Wall -Wextra -Werror -pedantic) and linked: the
// extern "C" guards and the enum work from C++.
#include <conversations.h>

#include <cstdio>
#include <cstring>

int main() {
    const char *version = sunco_version();
    sunco_client *client = nullptr;
    sunco_error *err = nullptr;
    sunco_status status = sunco_client_new(nullptr, &client, &err);
    bool ok = version != nullptr && std::strlen(version) > 0 && status == SUNCO_INVALID_ARGUMENT &&
              client == nullptr && sunco_error_status(err) == SUNCO_INVALID_ARGUMENT &&
              std::strcmp(sunco_error_field(err), "options") == 0;
    sunco_error_free(err);
    std::printf("header_cpp: libconversations %s from C++17: %s\n", version, ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
