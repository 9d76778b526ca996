/* helpers.h: where the Leedz helpers keep their state in the demo. */
#ifndef LEEDZ_HELPERS_H
#define LEEDZ_HELPERS_H

/* The folder the helpers write to: outbox/ (one .eml per email),
 * sms.log, and db.jsonl (the records a DynamoDB table would hold).
 * Set before any helper runs; the string is borrowed. */
void leedz_helpers_init(const char *dir);

/* Simulated latency of the AWS services the real helpers call (SES, SNS,
 * DynamoDB, Location Service), in milliseconds; 0 turns it off. */
void leedz_helpers_set_latency(int ms);

/* Appends one record to db.jsonl (thread-safe); json is one JSON object. */
void leedz_db_put(const char *json);

/* Sleeps for the simulated latency of one service call. */
void leedz_service_call(void);

/* How many times this process ran the handler of function ("notifyUsers"
 * or "textSubscribers"; 0 for any other name): the demo shows with it that
 * a duplicate delivery of an @idempotent function did not run it. */
unsigned leedz_helpers_runs(const char *function);

#endif
