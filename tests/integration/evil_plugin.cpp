// A shared library standing in for an attacker's: if anything ever loads it, its constructor leaves the marker file
// named by KBATCH_TEST_MARKER. The hostile-template tests check that no template can make that happen (and, as a
// control, that the user's own command line can).
#include <cstdio>
#include <cstdlib>

__attribute__((constructor)) static void leaveMarker()
{
    if (const char *path = std::getenv("KBATCH_TEST_MARKER")) {
        if (FILE *f = std::fopen(path, "w")) {
            std::fputs("loaded\n", f);
            std::fclose(f);
        }
    }
}

// librdkafka looks this up in a plugin; returning an error makes it refuse the plugin after loading it.
extern "C" int conf_init(void *, void **, char *errstr, std::size_t errstr_size)
{
    std::snprintf(errstr, errstr_size, "the test plugin refuses to be used");
    return -1;
}
