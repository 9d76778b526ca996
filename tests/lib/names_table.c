/* names_table.c: prints the naming table of specs/language.md as
 * gen/names.c writes it (tests/lib/names_table.sh compares the two). */
#include <stdio.h>

#include "names.h"

int main(void)
{
    ctlc_cnames_table(stdout);
    return ferror(stdout) ? 1 : 0;
}
