/* base/strtod.c: strtod in the C locale. */
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>

#include "base/strtod.h"

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void make_c_locale(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

double ctli_strtod_c(const char *s, char **end)
{
    pthread_once(&c_locale_once, make_c_locale);
    if (!c_locale)
        return strtod(s, end);
    /* uselocale() switches this thread only (POSIX.1-2008). */
    locale_t old = uselocale(c_locale);
    double d = strtod(s, end);
    uselocale(old);
    return d;
}
