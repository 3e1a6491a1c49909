// Prints the header's version; scripts/dist/verify.sh compares it with the workspace version.
#include <conversations.h>
#include <cstdio>

static_assert(SUNCO_VERSION_MAJOR >= 0 && SUNCO_VERSION_MINOR >= 0 && SUNCO_VERSION_PATCH >= 0,
              "version macros");

int main() {
    std::printf("%s %d.%d.%d\n", SUNCO_VERSION, SUNCO_VERSION_MAJOR, SUNCO_VERSION_MINOR,
                SUNCO_VERSION_PATCH);
    sunco_error_free(nullptr);  // links against the library
    return 0;
}
