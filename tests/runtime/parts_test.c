/* parts_test.c: a program that links libctl's core alone (runtime/README.md,
 * "Parts"): what needs another part is refused with that part's name, and
 * the rest works. Linked with ctl only, never ctl_internal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "ctl/gen.h"

#include "../check.h"

static int echo_invoke(ctl_ctx *ctx, const ctl_json *args, ctl_cursor *text, ctl_buf *out)
{
    (void)ctx;
    (void)text;
    if (!args)
        return CTL_NOT_READ; /* this one reads the tree */
    CTL_BUF_LIT(out, "null");
    return 0;
}

static void on_failure(void *user, const char *controller, const char *event, size_t len, const char *error_type,
                       const char *error_message, int attempts)
{
    (void)user, (void)controller, (void)event, (void)len, (void)error_type, (void)error_message, (void)attempts;
}

static const ctl_function plain_functions[] = {
    { .name = "echo", .name_len = 4, .is_async = false, .invoke = echo_invoke },
};
static const ctl_controller plain = { .name = "plain", .functions = plain_functions, .count = 1 };

static const ctl_function once_functions[] = {
    { .name = "once", .name_len = 4, .is_async = false, .invoke = echo_invoke,
      .idempotent = &(const ctl_idempotency){ .keys = NULL, .nkeys = 0, .expires_s = 60 } },
};
static const ctl_controller once = { .name = "once", .functions = once_functions, .count = 1 };

int main(void)
{
    ctl_client_config cfg = { 0 };
    cfg.dead_letter_path = "";
    cfg.on_failure = on_failure;
    cfg.idempotency_path = "parts_test.sqlite";
    cfg.inline_sends = true;
    ctl_client *client = ctl_client_new(&cfg);
    CHECK(client != NULL, "ctl_client_new");
    if (!client)
        return 1;
    /* In-process controllers need nothing but the core. */
    CHECK(ctl_client_register(client, &plain) == CTL_OK, "%s", ctl_client_error(client));
    ctl_response resp;
    CHECK(ctl_client_call(client, "plain", "{\"function\":\"echo\"}", 19, &resp) == CTL_OK, "%s",
          ctl_client_error(client));
    ctl_response_free(&resp);
    /* An @idempotent controller with a store path needs libctl_sqlite. */
    CHECK(ctl_client_register(client, &once) == CTL_ERR_USAGE, "registered without the local store's part");
    const char *why = ctl_client_error(client);
    CHECK(strstr(why, "controller 'once' has @idempotent functions") &&
              strstr(why, "linked without libctl_sqlite (the local idempotency store); link ctl::sqlite"),
          "%s", why);
    /* A controller not registered needs libctl_aws to go anywhere. */
    CHECK(ctl_client_send(client, "elsewhere", "{\"function\":\"f\"}", 16) == CTL_ERR_UNKNOWN_CONTROLLER,
          "sent without a transport");
    why = ctl_client_error(client);
    CHECK(strstr(why, "no controller 'elsewhere' is registered") &&
              strstr(why, "linked without libctl_aws (the Lambda transport); link ctl::aws"),
          "%s", why);
    ctl_client_free(client);

    /* ctl_main without the loop or serve: exit status 2, the part named on
     * stderr (caught in a file). */
    static const char *const cases[][2] = {
        { "", "AWS_LAMBDA_RUNTIME_API is set, but this program is linked without libctl_rtapi (the Lambda "
              "Runtime API loop); link ctl::rtapi (CMake) or ctl_rtapi (pkg-config)" },
        { "serve", "serve: this program is linked without libctl_serve (the local Invoke endpoint); link "
                   "ctl::serve (CMake) or ctl_serve (pkg-config)" },
    };
    setenv("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9", 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *err = tmpfile();
        int saved = dup(2);
        CHECK(err && saved >= 0, "tmpfile, dup");
        if (!err || saved < 0)
            break;
        fflush(stderr);
        dup2(fileno(err), 2);
        char *argv[] = { "parts", (char *)cases[i][0], NULL };
        int rc = ctl_main(*cases[i][0] ? 2 : 1, argv, &plain, NULL);
        fflush(stderr);
        dup2(saved, 2);
        close(saved);
        char text[1024] = "";
        rewind(err);
        size_t n = fread(text, 1, sizeof text - 1, err);
        text[n] = '\0';
        fclose(err);
        CHECK(rc == 2, "ctl_main %s: exit status %d", cases[i][0], rc);
        CHECK(strstr(text, cases[i][1]) != NULL, "ctl_main %s said: %s", cases[i][0], text);
    }
    printf("parts: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
