/* Shim core: control snapshot, token-removal bookkeeping (per-label epochs, session table)
 * and the gates every forwarded call passes (removal, latency, failure injection). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "shim.h"

#define LABELS_MAX 64

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
CK_FUNCTION_LIST_PTR shim_real;
char shim_control_path[4096];
int shim_has_control;
static struct shim_config current;

/* Per token label: bumped each time it vanishes, so sessions from before know they are dead. */
static struct { char label[SHIM_LABEL_LEN]; unsigned long epoch, logout_epoch; } labels[LABELS_MAX];
static int nlabels;

static struct sess *sessions;
static size_t nsessions, capsessions;

static int label_index(const char *label) { /* caller holds mu */
  for (int i = 0; i < nlabels; i++) if (strcmp(labels[i].label, label) == 0) return i;
  if (nlabels == LABELS_MAX) return -1;
  snprintf(labels[nlabels].label, SHIM_LABEL_LEN, "%s", label);
  labels[nlabels].epoch = labels[nlabels].logout_epoch = 0;
  return nlabels++;
}

static unsigned long label_epoch(const char *label) { /* caller holds mu */
  int i = label_index(label);
  return i < 0 ? 0 : labels[i].epoch;
}

/* Re-reads the control file and copies it out; tokens newly hidden get a new epoch. */
void shim_snapshot(struct shim_config *out) {
  struct shim_config next;
  shim_config_read(shim_has_control ? shim_control_path : NULL, &next);
  pthread_mutex_lock(&mu);
  for (int i = 0; i < next.nhide; i++) {
    if (shim_label_in((const char (*)[SHIM_LABEL_LEN])current.hide, current.nhide, next.hide[i])) continue;
    int li = label_index(next.hide[i]);
    if (li >= 0) labels[li].epoch++;
  }
  current = next;
  *out = next;
  pthread_mutex_unlock(&mu);
}

int shim_hidden(const struct shim_config *s, const char *label) {
  return label[0] && shim_label_in((const char (*)[SHIM_LABEL_LEN])s->hide, s->nhide, label);
}

int shim_slot_label(CK_SLOT_ID slot, char out[SHIM_LABEL_LEN]) {
  CK_TOKEN_INFO ti;
  out[0] = '\0';
  if (shim_real->C_GetTokenInfo(slot, &ti) != CKR_OK) return -1;
  shim_trim_label(ti.label, sizeof ti.label, out);
  return 0;
}

static void sleep_ms(unsigned ms) {
  struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

static int find_session(CK_SESSION_HANDLE h, struct sess *out) { /* caller holds mu */
  for (size_t i = 0; i < nsessions; i++) if (sessions[i].h == h) { *out = sessions[i]; return 1; }
  return 0;
}

void shim_add_session(CK_SESSION_HANDLE h, CK_SLOT_ID slot, const char *label) {
  pthread_mutex_lock(&mu);
  if (nsessions == capsessions) {
    size_t cap = capsessions ? capsessions * 2 : 64;
    struct sess *n = realloc(sessions, cap * sizeof *n);
    if (!n) { pthread_mutex_unlock(&mu); return; }
    sessions = n;
    capsessions = cap;
  }
  struct sess *s = &sessions[nsessions++];
  s->h = h;
  s->slot = slot;
  snprintf(s->label, SHIM_LABEL_LEN, "%s", label);
  s->epoch = label_epoch(label);
  pthread_mutex_unlock(&mu);
}

void shim_drop_sessions(int by_slot, CK_ULONG key) {
  pthread_mutex_lock(&mu);
  size_t j = 0;
  for (size_t i = 0; i < nsessions; i++) {
    if (by_slot ? sessions[i].slot == key : sessions[i].h == key) continue;
    sessions[j++] = sessions[i];
  }
  nsessions = j;
  pthread_mutex_unlock(&mu);
}

/* Session state against the snapshot: unplugged → DEVICE_REMOVED, replugged since → INVALID. */
CK_RV shim_session_gate(const struct shim_config *s, CK_SESSION_HANDLE h, struct sess *se) {
  pthread_mutex_lock(&mu);
  int known = find_session(h, se);
  CK_RV rv = CKR_OK;
  if (known && shim_hidden(s, se->label)) rv = CKR_DEVICE_REMOVED;
  else if (known && se->epoch != label_epoch(se->label)) rv = CKR_SESSION_HANDLE_INVALID;
  pthread_mutex_unlock(&mu);
  if (!known) memset(se, 0, sizeof *se);
  return rv;
}

/* Latency then failure injection; after sleeping, re-checks the removal (mid-operation unplug). */
static CK_RV fault(int fn, struct shim_config *s, CK_SESSION_HANDLE h, int check_session, int inject_fail) {
  if (s->latency_ms && s->latency_on[fn]) {
    sleep_ms(s->latency_ms);
    shim_snapshot(s);
    if (check_session) {
      struct sess se;
      CK_RV rv = shim_session_gate(s, h, &se);
      if (rv != CKR_OK) return rv;
    }
  }
  return inject_fail && s->fail_on[fn] ? s->fail_rv : CKR_OK;
}

CK_RV shim_pre_plain(int fn, struct shim_config *s) {
  if (!shim_real) return CKR_GENERAL_ERROR;
  shim_snapshot(s);
  return fault(fn, s, 0, 0, 1);
}

CK_RV shim_pre_session(int fn, CK_SESSION_HANDLE h, struct shim_config *s, struct sess *se, int inject_fail) {
  if (!shim_real) return CKR_GENERAL_ERROR;
  shim_snapshot(s);
  CK_RV rv = shim_session_gate(s, h, se);
  return rv != CKR_OK ? rv : fault(fn, s, h, 1, inject_fail);
}

/* Slot calls on an unplugged token answer TOKEN_NOT_PRESENT, also after the latency. */
CK_RV shim_pre_slot(int fn, CK_SLOT_ID slot, struct shim_config *s, char label[SHIM_LABEL_LEN]) {
  if (!shim_real) return CKR_GENERAL_ERROR;
  shim_snapshot(s);
  label[0] = '\0';
  if (s->nhide > 0 && shim_slot_label(slot, label) == 0 && shim_hidden(s, label)) return CKR_TOKEN_NOT_PRESENT;
  CK_RV rv = fault(fn, s, 0, 0, 1);
  if (rv == CKR_OK && s->nhide > 0 && label[0] == '\0') shim_slot_label(slot, label);
  if (rv == CKR_OK && shim_hidden(s, label)) rv = CKR_TOKEN_NOT_PRESENT;
  return rv;
}


/* After a token came back the real module still has the user logged in; a real token would
 * not. Returns 1 once per return so the caller logs the fresh session out. */
int shim_take_logout(const char *label) {
  pthread_mutex_lock(&mu);
  int i = label_index(label), due = 0;
  if (i >= 0 && labels[i].logout_epoch != labels[i].epoch) {
    labels[i].logout_epoch = labels[i].epoch;
    due = 1;
  }
  pthread_mutex_unlock(&mu);
  return due;
}

/* The label a session belongs to: from the table, else asked from the real module. */
void shim_session_label(CK_SESSION_HANDLE h, const struct sess *se, char out[SHIM_LABEL_LEN]) {
  out[0] = '\0';
  if (se->label[0]) { snprintf(out, SHIM_LABEL_LEN, "%s", se->label); return; }
  CK_SESSION_INFO si;
  if (shim_real->C_GetSessionInfo(h, &si) == CKR_OK) shim_slot_label(si.slotID, out);
}

void shim_clear_sessions(void) {
  pthread_mutex_lock(&mu);
  nsessions = 0;
  pthread_mutex_unlock(&mu);
}
