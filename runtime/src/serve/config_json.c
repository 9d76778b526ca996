/* serve/config_json.c: a function's asynchronous-invocation config in the
 * shapes of Lambda's API (see config_json.h), which serve's API (config.c)
 * and the configs' file (config_store.c) share: a DestinationConfig read,
 * its ARNs parsed by common/rules.h's rule (the inverse of the one that
 * builds them), and the settings and destinations written. */
#include <stdio.h>
#include <string.h>

#include "ctl/gen.h"

#include "client/function_name.h"
#include "client/record.h"
#include "common/rules.h"
#include "serve/config_json.h"

static ctl_destination_kind kind_of(const char *word)
{
    return strcmp(word, "controller") == 0 ? CTL_DEST_CONTROLLER
           : strcmp(word, "sqs") == 0      ? CTL_DEST_SQS
           : strcmp(word, "sns") == 0      ? CTL_DEST_SNS
           : strcmp(word, "eventbridge") == 0 ? CTL_DEST_EVENTBRIDGE
                                           : CTL_DEST_S3;
}

/* ---- DestinationConfig ----------------------------------------------------------------- */

static const char *const side_names[2] = { "OnSuccess", "OnFailure" };

/* One side's {"Destination": ARN} (side i of d) of served functions of s:
 * 0, or -1 with why set. {} and a Destination null or "": none. */
static int parse_side(const serve *s, const ctl_json *j, int i, ctli_serve_dests *d, char *why, size_t cap)
{
    d->has[i] = true;
    d->dest[i].kind = 0;
    d->dest[i].name = NULL;
    if (j->type != CTL_JSON_OBJECT) {
        snprintf(why, cap, "DestinationConfig.%s must be an object: {\"Destination\": ARN}", side_names[i]);
        return -1;
    }
    const char *arn = NULL;
    for (const ctl_json *m = j->child; m; m = m->next) {
        if (strcmp(m->key, "Destination") != 0) {
            snprintf(why, cap, "DestinationConfig.%s has no member %.60s (Destination is its member)", side_names[i],
                     m->key);
            return -1;
        }
        if (m->type == CTL_JSON_NULL)
            continue;
        if (m->type != CTL_JSON_STRING) {
            snprintf(why, cap, "DestinationConfig.%s.Destination must be an ARN (a string)", side_names[i]);
            return -1;
        }
        if (strlen(m->str) != m->len) {
            snprintf(why, cap, "DestinationConfig.%s.Destination holds a NUL character", side_names[i]);
            return -1;
        }
        arn = m->len ? m->str : NULL;
    }
    if (!arn)
        return 0;
    const char *word, *name;
    size_t len;
    char reason[400];
    if (ctli_rule_destination_parse(arn, &word, &name, &len, reason, sizeof reason) != 0) {
        snprintf(why, cap, "DestinationConfig.%s.Destination: %s", side_names[i], reason);
        return -1;
    }
    if (i == 0 && strcmp(word, "s3") == 0) {
        snprintf(why, cap,
                 "DestinationConfig.OnSuccess.Destination: an S3 bucket can only be an on-failure destination "
                 "(Lambda sends no success records to S3)");
        return -1;
    }
    if (len >= sizeof d->name[i]) {
        snprintf(why, cap, "DestinationConfig.%s.Destination: the name in '%.200s' is too long", side_names[i], arn);
        return -1;
    }
    memcpy(d->name[i], name, len);
    d->name[i][len] = '\0';
    if (strcmp(word, "controller") == 0) {
        const ctl_controller *c = ctli_serve_find_controller(s, d->name[i]);
        if (!c) {
            snprintf(why, cap,
                     "DestinationConfig.%s.Destination: '%.200s' names no function this server serves (a function "
                     "destination must be a served controller with a @records function)",
                     side_names[i], arn);
            return -1;
        }
        bool records = false;
        for (size_t f = 0; f < c->count; f++)
            records = records || c->functions[f].receives_records;
        if (!records) {
            snprintf(why, cap,
                     "DestinationConfig.%s.Destination: the controller %s has no @records function, so it cannot "
                     "receive invocation records",
                     side_names[i], c->name);
            return -1;
        }
    }
    d->dest[i].kind = kind_of(word);
    d->dest[i].name = d->name[i];
    return 0;
}

/* A DestinationConfig (dc) into *d: 0, or -1 with why set. null: nothing
 * given; a side null: that side not given. */
int ctli_serve_config_parse_dests(const serve *s, const ctl_json *dc, ctli_serve_dests *d, char *why, size_t cap)
{
    if (!dc || dc->type == CTL_JSON_NULL)
        return 0;
    if (dc->type != CTL_JSON_OBJECT) {
        snprintf(why, cap, "DestinationConfig must be an object");
        return -1;
    }
    for (const ctl_json *side = dc->child; side; side = side->next) {
        int i = strcmp(side->key, "OnSuccess") == 0 ? 0 : strcmp(side->key, "OnFailure") == 0 ? 1 : -1;
        if (i < 0) {
            snprintf(why, cap, "DestinationConfig has no member %.60s (OnSuccess and OnFailure are its members)",
                     side->key);
            return -1;
        }
        if (side->type != CTL_JSON_NULL && parse_side(s, side, i, d, why, cap) != 0)
            return -1;
    }
    return 0;
}

/* ---- written ---------------------------------------------------------------------------- */

/* The settings v states, each after a comma, as the API and the file name
 * them. */
void ctli_serve_config_put_settings(ctl_buf *b, const ctli_serve_eic *v)
{
    char num[64];
    if (v->retries >= 0) {
        snprintf(num, sizeof num, ",\"MaximumRetryAttempts\":%d", v->retries);
        ctl_buf_put(b, num, strlen(num));
    }
    if (v->age_s > 0) {
        snprintf(num, sizeof num, ",\"MaximumEventAgeInSeconds\":%d", v->age_s);
        ctl_buf_put(b, num, strlen(num));
    }
}

/* One side of DestinationConfig: {"Destination":ARN} of d, or {}. */
void ctli_serve_config_put_destination(ctl_buf *b, const serve *s, const char *account, const ctl_destination *d)
{
    if (!d || !d->name) {
        CTL_BUF_LIT(b, "{}");
        return;
    }
    char arn[512];
    ctli_rule_destination_arn(arn, sizeof arn, ctli_destination_word(d->kind), "aws", s->region,
                              account && *account ? account : CTLI_FUNCTION_ACCOUNT_UNKNOWN, NULL, d->name,
                              (int)strlen(d->name));
    CTL_BUF_LIT(b, "{\"Destination\":");
    ctl_write_string(b, arn);
    ctl_buf_putc(b, '}');
}
