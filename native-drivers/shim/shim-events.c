/* Slot events for unplug/replug (opt-in: slot_events=1). SoftHSM has none (its
 * C_WaitForSlotEvent is not supported), so with hide= the shim can play what a USB token's
 * module does: report the slot whose token came or went, one event per call. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <errno.h>
#include "shim.h"

#define SLOTS_MAX 64

static pthread_mutex_t ev_mu = PTHREAD_MUTEX_INITIALIZER;
static struct { CK_SLOT_ID slot; int present; } seen[SLOTS_MAX];
static int nseen;
static int initialized; /* cleared by C_Finalize: a blocked waiter returns */

static int present_now(const struct shim_config *s, CK_SLOT_ID slot) {
  CK_SLOT_INFO si;
  if (shim_real->C_GetSlotInfo(slot, &si) != CKR_OK || !(si.flags & CKF_TOKEN_PRESENT)) return 0;
  char label[SHIM_LABEL_LEN];
  return !(shim_slot_label(slot, label) == 0 && shim_hidden(s, label));
}

/* Compares every slot with what was last reported; the first change becomes the event. */
static CK_RV next_event(const struct shim_config *s, CK_SLOT_ID *out, int baseline_only) {
  CK_ULONG n = 0;
  if (shim_real->C_GetSlotList(CK_FALSE, NULL, &n) != CKR_OK) return CKR_NO_EVENT;
  CK_SLOT_ID *slots = calloc(n ? n : 1, sizeof *slots);
  if (!slots) return CKR_HOST_MEMORY;
  CK_RV rv = CKR_NO_EVENT;
  if (shim_real->C_GetSlotList(CK_FALSE, slots, &n) == CKR_OK) {
    for (CK_ULONG i = 0; i < n; i++) {
      int now = present_now(s, slots[i]), j;
      pthread_mutex_lock(&ev_mu);
      for (j = 0; j < nseen && seen[j].slot != slots[i]; j++) {}
      int changed = j < nseen ? seen[j].present != now : (!baseline_only && now);
      if (j == nseen && nseen < SLOTS_MAX) { seen[nseen].slot = slots[i]; seen[nseen].present = now; nseen++; }
      else if (j < nseen && changed) seen[j].present = now;
      pthread_mutex_unlock(&ev_mu);
      if (changed && !baseline_only && rv == CKR_NO_EVENT) { *out = slots[i]; rv = CKR_OK; break; }
    }
  }
  free(slots);
  return rv;
}

void shim_events_start(void) {
  struct shim_config s;
  shim_snapshot(&s);
  CK_SLOT_ID unused;
  pthread_mutex_lock(&ev_mu);
  nseen = 0;
  initialized = 1;
  pthread_mutex_unlock(&ev_mu);
  next_event(&s, &unused, 1);
}

void shim_events_stop(void) {
  pthread_mutex_lock(&ev_mu);
  initialized = 0;
  pthread_mutex_unlock(&ev_mu);
}

CK_RV shim_wait_event(CK_FLAGS flags, CK_SLOT_ID_PTR slot) {
  struct shim_config s;
  for (;;) {
    shim_snapshot(&s);
    pthread_mutex_lock(&ev_mu);
    int live = initialized;
    pthread_mutex_unlock(&ev_mu);
    if (!live) return CKR_CRYPTOKI_NOT_INITIALIZED;
    CK_RV rv = next_event(&s, slot, 0);
    if (rv != CKR_NO_EVENT || (flags & CKF_DONT_BLOCK)) return rv;
    struct timespec ts = { 0, 100L * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
  }
}
