/* Control file parsing: simple key=value lines, '#' comments, unknown keys ignored so tests
 * can leave notes. Read on every call, so a test changes behaviour by rewriting the file. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"

#define SHIM_NAME(name) #name,
static const char *const fn_names[FN_COUNT] = { SHIM_FUNCTIONS(SHIM_NAME) };
#undef SHIM_NAME

const char *shim_fn_name(int fn) { return fn >= 0 && fn < FN_COUNT ? fn_names[fn] : "?"; }

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  char *e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
  return s;
}

void shim_trim_label(const unsigned char *raw, size_t len, char out[SHIM_LABEL_LEN]) {
  if (len > SHIM_LABEL_LEN - 1) len = SHIM_LABEL_LEN - 1;
  memcpy(out, raw, len);
  out[len] = '\0';
  while (len > 0 && (out[len - 1] == ' ' || out[len - 1] == '\0')) out[--len] = '\0';
}

int shim_label_in(const char list[][SHIM_LABEL_LEN], int n, const char *label) {
  for (int i = 0; i < n; i++) if (strcmp(list[i], label) == 0) return 1;
  return 0;
}

/* "A, B ,C" → list entries; returns the count. */
static int parse_labels(char *value, char list[][SHIM_LABEL_LEN]) {
  int n = 0;
  for (char *tok = strtok(value, ","); tok && n < SHIM_LIST_MAX; tok = strtok(NULL, ",")) {
    char *t = trim(tok);
    if (*t == '\0') continue;
    snprintf(list[n++], SHIM_LABEL_LEN, "%s", t);
  }
  return n;
}

/* "C_Sign,C_Login" or "all"/"*" → per-function switches. */
static void parse_functions(char *value, unsigned char *on) {
  memset(on, 0, FN_COUNT);
  for (char *tok = strtok(value, ","); tok; tok = strtok(NULL, ",")) {
    char *t = trim(tok);
    if (strcmp(t, "all") == 0 || strcmp(t, "*") == 0) { memset(on, 1, FN_COUNT); continue; }
    for (int i = 0; i < FN_COUNT; i++) if (strcmp(fn_names[i], t) == 0) on[i] = 1;
  }
}

void shim_config_defaults(struct shim_config *c) {
  memset(c, 0, sizeof *c);
  c->max_tries = 3;
  memset(c->latency_on, 1, FN_COUNT);
  c->fail_rv = CKR_FUNCTION_FAILED;
}

void shim_config_read(const char *path, struct shim_config *c) {
  shim_config_defaults(c);
  if (!path) return;
  FILE *f = fopen(path, "r");
  if (!f) return; /* no file: plain forwarding */
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    char *l = trim(line);
    if (*l == '#' || *l == '\0') continue;
    char *eq = strchr(l, '=');
    if (!eq) continue;
    *eq = '\0';
    char *key = trim(l), *value = trim(eq + 1);
    if (strcmp(key, "hide") == 0) c->nhide = parse_labels(value, c->hide);
    else if (strcmp(key, "max_tries") == 0) c->max_tries = atoi(value);
    else if (strcmp(key, "latency_ms") == 0) c->latency_ms = (unsigned)strtoul(value, NULL, 10);
    else if (strcmp(key, "latency_calls") == 0) parse_functions(value, c->latency_on);
    else if (strcmp(key, "fail") == 0) parse_functions(value, c->fail_on);
    else if (strcmp(key, "fail_rv") == 0) c->fail_rv = (CK_RV)strtoul(value, NULL, 0);
    else if (strcmp(key, "pinpad") == 0) c->pinpad = atoi(value) != 0;
    else if (strcmp(key, "pinpad_tokens") == 0) c->npinpad_tokens = parse_labels(value, c->pinpad_tokens);
    else if (strcmp(key, "slot_events") == 0) c->slot_events = atoi(value) != 0;
    else if (strcmp(key, "pinpad_pin") == 0) snprintf(c->pinpad_pin, sizeof c->pinpad_pin, "%s", value);
  }
  fclose(f);
  if (c->max_tries < 0) c->max_tries = 0;
}
