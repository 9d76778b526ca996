/* lambda/aws_libs.h: libcurl and libcrypto as libctl_aws calls them,
 * opened with dlopen at their first use (aws_libs.c), not when the program
 * starts: a controller that may call Lambda then starts as fast as one that
 * calls nobody, and pays for the two libraries (some 30 with libcurl's own)
 * at its first send (runtime/README.md, "Parts"). libctl_aws therefore
 * links neither; its sources include this header and call each function
 * through ctli_aws_lib (ctli_aws_lib.curl_easy_init()...), after
 * ctli_aws_libs_open(). A direct call would not link: that is the check
 * that none is left. */
#ifndef CTL_LAMBDA_AWS_LIBS_H
#define CTL_LAMBDA_AWS_LIBS_H

#include <stddef.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>

#include "base/private.h"

/* curl's type-checking wrappers (curl/typecheck-gcc.h) are macros of these
 * names, which would take ctli_aws_lib.curl_easy_setopt(...) apart: the
 * calls go through the pointers unchecked. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt

CTLI_BEGIN_PRIVATE

#define CTLI_AWS_STR_(x) #x
#define CTLI_AWS_STR(x) CTLI_AWS_STR_(x)
/* What is opened: the sonames the program was built against (libcurl's has
 * been 4 since 2006; libcrypto's is OpenSSL's major version). The section
 * .ctl_dlopen of a program with libctl_aws names them, for
 * ctl_package_lambda (cmake/CtlPackage.cmake). */
#define CTLI_LIBCURL_SONAME "libcurl.so.4"
#define CTLI_LIBCRYPTO_SONAME "libcrypto.so." CTLI_AWS_STR(OPENSSL_VERSION_MAJOR)

/* Every function of the two that libctl_aws calls. */
#define CTLI_AWS_CURL_FUNCTIONS(X)                                                                             \
    X(curl_easy_cleanup) X(curl_easy_getinfo) X(curl_easy_init) X(curl_easy_perform) X(curl_easy_reset)         \
    X(curl_easy_setopt) X(curl_easy_strerror) X(curl_free) X(curl_global_init) X(curl_multi_add_handle)         \
    X(curl_multi_cleanup) X(curl_multi_info_read) X(curl_multi_init) X(curl_multi_perform) X(curl_multi_poll)   \
    X(curl_multi_remove_handle) X(curl_multi_setopt) X(curl_multi_wakeup) X(curl_slist_append)                  \
    X(curl_slist_free_all) X(curl_url) X(curl_url_cleanup) X(curl_url_get) X(curl_url_set)
#define CTLI_AWS_CRYPTO_FUNCTIONS(X)                                                                           \
    X(CRYPTO_memcmp) X(EVP_Digest) X(EVP_DigestFinal_ex) X(EVP_DigestInit_ex) X(EVP_DigestUpdate)               \
    X(EVP_MD_CTX_free) X(EVP_MD_CTX_new) X(EVP_sha256) X(HMAC) X(OPENSSL_cleanse)

#define CTLI_AWS_LIB_POINTER(f) __typeof__(f) *f;
/* The functions, as dlsym found them; all NULL until the first
 * successful ctli_aws_libs_open(). */
typedef struct ctli_aws_libs {
    CTLI_AWS_CURL_FUNCTIONS(CTLI_AWS_LIB_POINTER)
    CTLI_AWS_CRYPTO_FUNCTIONS(CTLI_AWS_LIB_POINTER)
} ctli_aws_libs;
#undef CTLI_AWS_LIB_POINTER

extern ctli_aws_libs ctli_aws_lib;

/* Opens both libraries and finds every function, once for the process
 * (later calls answer as the first did). 0, or -1 with why (cap bytes;
 * may be NULL) naming the library and dlerror()'s words. Thread-safe. */
int ctli_aws_libs_open(char *why, size_t cap);

CTLI_END_PRIVATE

#endif
