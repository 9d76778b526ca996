/* lambda/aws_libs.c: libcurl and libcrypto opened at their first use
 * (aws_libs.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "lambda/aws_libs.h"

ctli_aws_libs ctli_aws_lib;

/* The sonames, where ctl_package_lambda reads them from the program: one
 * NUL-terminated name after another. `used`: nothing reads it in C. */
__attribute__((used, section(".ctl_dlopen"))) static const char dlopen_names[] =
    CTLI_LIBCURL_SONAME "\0" CTLI_LIBCRYPTO_SONAME;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512]; /* empty when both opened */

/* dlsym's void * into a function pointer: the POSIX way (the bytes). */
static int find(void *lib, const char *soname, const char *name, void *slot)
{
    void *f = dlsym(lib, name);
    if (!f) {
        snprintf(failure, sizeof failure, "%s has no %s: %s", soname, name, dlerror());
        return -1;
    }
    memcpy(slot, &f, sizeof f);
    return 0;
}

static void open_both(void)
{
    void *curl = dlopen(CTLI_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    void *crypto = curl ? dlopen(CTLI_LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL) : NULL;
    if (!curl || !crypto) {
        snprintf(failure, sizeof failure, "cannot open %s: %s", curl ? CTLI_LIBCRYPTO_SONAME : CTLI_LIBCURL_SONAME,
                 dlerror());
        return;
    }
    ctli_aws_libs found = { 0 };
#define FIND(lib, soname, f)                                                                                   \
    if (find(lib, soname, #f, &found.f) != 0)                                                                  \
        return;
#define FIND_CURL(f) FIND(curl, CTLI_LIBCURL_SONAME, f)
#define FIND_CRYPTO(f) FIND(crypto, CTLI_LIBCRYPTO_SONAME, f)
    CTLI_AWS_CURL_FUNCTIONS(FIND_CURL)
    CTLI_AWS_CRYPTO_FUNCTIONS(FIND_CRYPTO)
#undef FIND_CRYPTO
#undef FIND_CURL
#undef FIND
    ctli_aws_lib = found; /* the libraries stay open for the process */
}

int ctli_aws_libs_open(char *why, size_t cap)
{
    pthread_once(&once, open_both);
    if (!failure[0])
        return 0;
    if (why && cap)
        snprintf(why, cap, "%s", failure);
    return -1;
}
