/* kyso-fault-shim: a PKCS#11 module that forwards to a real one (KYSO_SHIM_TARGET, default
 * SoftHSM) and injects the faults real USB tokens show, driven by a control file
 * (KYSO_SHIM_CONTROL, key=value, re-read on every call):
 *   hide=LABEL,…        token unplugged: gone from C_GetSlotList(TRUE), slot info without
 *                       CKF_TOKEN_PRESENT, CKR_TOKEN_NOT_PRESENT for new calls on the slot,
 *                       CKR_DEVICE_REMOVED on its open sessions; after it returns, those
 *                       sessions answer CKR_SESSION_HANDLE_INVALID and the login is gone.
 *   max_tries=N         retry counter (default 3, 0 = off), kept in the state file
 *   latency_ms=N, latency_calls=C_Sign,…|all (default all)
 *   fail=C_Sign,…|all, fail_rv=0x30 (default CKR_FUNCTION_FAILED)
 *   slot_events=1       C_WaitForSlotEvent reports hide=/unhide (SoftHSM has no events)
 *   pinpad=1, pinpad_tokens=LABEL,… (default all), pinpad_pin=PIN (C_Login with a NULL or
 *                       empty PIN forwards it: the user "typed it on the pad")
 * KYSO_SHIM_ISOLATE=1 loads a private copy of the target (see dlopen_private_copy).
 * State file (KYSO_SHIM_STATE, default "<control>.state"): login_calls, login_calls:LABEL,
 * tries_left:LABEL. This file: the function list; the gates live in shim-core.c. */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shim.h"

#define DEFAULT_TARGET "/usr/lib/softhsm/libsofthsm2.so"

/* ---- plain forwarding, one line per function ---- */
#define FWD_SESSION(name, params, args) \
  static CK_RV shim_##name params { \
    struct shim_config s; struct sess se; \
    CK_RV rv = shim_pre_session(FN_##name, hSession, &s, &se, 1); \
    return rv != CKR_OK ? rv : shim_real->name args; \
  }
/* Calls that end an operation: a failing token ends it too (PKCS#11 2.40 §5.2), so an
 * injected failure still runs the real call, drops its result and answers fail_rv. */
#define FWD_FINISH(name, params, args) \
  static CK_RV shim_##name params { \
    struct shim_config s; struct sess se; \
    CK_RV rv = shim_pre_session(FN_##name, hSession, &s, &se, 0); \
    if (rv != CKR_OK) return rv; \
    rv = shim_real->name args; \
    return s.fail_on[FN_##name] ? s.fail_rv : rv; \
  }
#define FWD_SLOT(name, params, args) \
  static CK_RV shim_##name params { \
    struct shim_config s; char label[SHIM_LABEL_LEN]; \
    CK_RV rv = shim_pre_slot(FN_##name, slotID, &s, label); \
    return rv != CKR_OK ? rv : shim_real->name args; \
  }
#define FWD_PLAIN(name, params, args) \
  static CK_RV shim_##name params { \
    struct shim_config s; CK_RV rv = shim_pre_plain(FN_##name, &s); \
    return rv != CKR_OK ? rv : shim_real->name args; \
  }
#define SH CK_SESSION_HANDLE hSession
#define BP CK_BYTE_PTR
#define UL CK_ULONG
#define ULP CK_ULONG_PTR
#define OH CK_OBJECT_HANDLE
#define MP CK_MECHANISM_PTR
#define AP CK_ATTRIBUTE_PTR

FWD_PLAIN(C_GetInfo, (CK_INFO_PTR a), (a))
FWD_SLOT(C_GetMechanismList, (CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR a, ULP b), (slotID, a, b))
FWD_SLOT(C_GetMechanismInfo, (CK_SLOT_ID slotID, CK_MECHANISM_TYPE a, CK_MECHANISM_INFO_PTR b), (slotID, a, b))
FWD_SLOT(C_InitToken, (CK_SLOT_ID slotID, CK_UTF8CHAR_PTR a, UL b, CK_UTF8CHAR_PTR c), (slotID, a, b, c))
FWD_SESSION(C_SetPIN, (SH, CK_UTF8CHAR_PTR a, UL b, CK_UTF8CHAR_PTR c, UL d), (hSession, a, b, c, d))
FWD_SESSION(C_GetSessionInfo, (SH, CK_SESSION_INFO_PTR a), (hSession, a))
FWD_SESSION(C_GetOperationState, (SH, BP a, ULP b), (hSession, a, b))
FWD_SESSION(C_SetOperationState, (SH, BP a, UL b, OH c, OH d), (hSession, a, b, c, d))
FWD_SESSION(C_Logout, (SH), (hSession))
FWD_SESSION(C_CreateObject, (SH, AP a, UL b, CK_OBJECT_HANDLE_PTR c), (hSession, a, b, c))
FWD_SESSION(C_CopyObject, (SH, OH a, AP b, UL c, CK_OBJECT_HANDLE_PTR d), (hSession, a, b, c, d))
FWD_SESSION(C_DestroyObject, (SH, OH a), (hSession, a))
FWD_SESSION(C_GetObjectSize, (SH, OH a, ULP b), (hSession, a, b))
FWD_SESSION(C_GetAttributeValue, (SH, OH a, AP b, UL c), (hSession, a, b, c))
FWD_SESSION(C_SetAttributeValue, (SH, OH a, AP b, UL c), (hSession, a, b, c))
FWD_SESSION(C_FindObjectsInit, (SH, AP a, UL b), (hSession, a, b))
FWD_SESSION(C_FindObjects, (SH, CK_OBJECT_HANDLE_PTR a, UL b, ULP c), (hSession, a, b, c))
FWD_SESSION(C_FindObjectsFinal, (SH), (hSession))
FWD_SESSION(C_EncryptInit, (SH, MP a, OH b), (hSession, a, b))
FWD_FINISH(C_Encrypt, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_SESSION(C_EncryptUpdate, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_FINISH(C_EncryptFinal, (SH, BP a, ULP b), (hSession, a, b))
FWD_SESSION(C_DecryptInit, (SH, MP a, OH b), (hSession, a, b))
FWD_FINISH(C_Decrypt, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_SESSION(C_DecryptUpdate, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_FINISH(C_DecryptFinal, (SH, BP a, ULP b), (hSession, a, b))
FWD_SESSION(C_DigestInit, (SH, MP a), (hSession, a))
FWD_FINISH(C_Digest, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_SESSION(C_DigestUpdate, (SH, BP a, UL b), (hSession, a, b))
FWD_SESSION(C_DigestKey, (SH, OH a), (hSession, a))
FWD_FINISH(C_DigestFinal, (SH, BP a, ULP b), (hSession, a, b))
FWD_SESSION(C_SignInit, (SH, MP a, OH b), (hSession, a, b))
FWD_FINISH(C_Sign, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_SESSION(C_SignUpdate, (SH, BP a, UL b), (hSession, a, b))
FWD_FINISH(C_SignFinal, (SH, BP a, ULP b), (hSession, a, b))
FWD_SESSION(C_SignRecoverInit, (SH, MP a, OH b), (hSession, a, b))
FWD_FINISH(C_SignRecover, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_SESSION(C_VerifyInit, (SH, MP a, OH b), (hSession, a, b))
FWD_FINISH(C_Verify, (SH, BP a, UL b, BP c, UL d), (hSession, a, b, c, d))
FWD_SESSION(C_VerifyUpdate, (SH, BP a, UL b), (hSession, a, b))
FWD_FINISH(C_VerifyFinal, (SH, BP a, UL b), (hSession, a, b))
FWD_SESSION(C_VerifyRecoverInit, (SH, MP a, OH b), (hSession, a, b))
FWD_FINISH(C_VerifyRecover, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_SESSION(C_DigestEncryptUpdate, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_SESSION(C_DecryptDigestUpdate, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_SESSION(C_SignEncryptUpdate, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_SESSION(C_DecryptVerifyUpdate, (SH, BP a, UL b, BP c, ULP d), (hSession, a, b, c, d))
FWD_SESSION(C_GenerateKey, (SH, MP a, AP b, UL c, CK_OBJECT_HANDLE_PTR d), (hSession, a, b, c, d))
FWD_SESSION(C_GenerateKeyPair, (SH, MP a, AP b, UL c, AP d, UL e, CK_OBJECT_HANDLE_PTR f, CK_OBJECT_HANDLE_PTR g),
            (hSession, a, b, c, d, e, f, g))
FWD_SESSION(C_WrapKey, (SH, MP a, OH b, OH c, BP d, ULP e), (hSession, a, b, c, d, e))
FWD_SESSION(C_UnwrapKey, (SH, MP a, OH b, BP c, UL d, AP e, UL f, CK_OBJECT_HANDLE_PTR g),
            (hSession, a, b, c, d, e, f, g))
FWD_SESSION(C_DeriveKey, (SH, MP a, OH b, AP c, UL d, CK_OBJECT_HANDLE_PTR e), (hSession, a, b, c, d, e))
FWD_SESSION(C_SeedRandom, (SH, BP a, UL b), (hSession, a, b))
FWD_SESSION(C_GenerateRandom, (SH, BP a, UL b), (hSession, a, b))
FWD_SESSION(C_GetFunctionStatus, (SH), (hSession))
FWD_SESSION(C_CancelFunction, (SH), (hSession))

/* ---- calls with fault behaviour of their own ---- */

static CK_RV shim_C_Initialize(CK_VOID_PTR a) {
  struct shim_config s;
  CK_RV rv = shim_pre_plain(FN_C_Initialize, &s);
  if (rv != CKR_OK || (rv = shim_real->C_Initialize(a)) != CKR_OK) return rv;
  shim_events_start();
  return rv;
}

static CK_RV shim_C_Finalize(CK_VOID_PTR a) {
  struct shim_config s;
  CK_RV rv = shim_pre_plain(FN_C_Finalize, &s);
  if (rv != CKR_OK) return rv;
  shim_events_stop();
  rv = shim_real->C_Finalize(a);
  if (rv == CKR_OK) shim_clear_sessions();
  return rv;
}

/* With slot_events=1 the shim reports hide=/unhide as slot events; otherwise the real module. */
static CK_RV shim_C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR slot, CK_VOID_PTR reserved) {
  struct shim_config s;
  CK_RV rv = shim_pre_plain(FN_C_WaitForSlotEvent, &s);
  if (rv != CKR_OK) return rv;
  if (!s.slot_events) return shim_real->C_WaitForSlotEvent(flags, slot, reserved);
  return slot ? shim_wait_event(flags, slot) : CKR_ARGUMENTS_BAD;
}

/* Unplugged tokens leave the "present" list; the slot itself stays (reader still there). */
static CK_RV shim_C_GetSlotList(CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count) {
  struct shim_config s;
  CK_RV rv = shim_pre_plain(FN_C_GetSlotList, &s);
  if (rv != CKR_OK) return rv;
  if (!present || s.nhide == 0) return shim_real->C_GetSlotList(present, list, count);
  if (!count) return CKR_ARGUMENTS_BAD;
  CK_ULONG n = 0;
  if ((rv = shim_real->C_GetSlotList(CK_TRUE, NULL, &n)) != CKR_OK) return rv;
  CK_SLOT_ID *all = calloc(n ? n : 1, sizeof *all);
  if (!all) return CKR_HOST_MEMORY;
  if ((rv = shim_real->C_GetSlotList(CK_TRUE, all, &n)) != CKR_OK) { free(all); return rv; }
  CK_ULONG k = 0;
  for (CK_ULONG i = 0; i < n; i++) {
    char label[SHIM_LABEL_LEN];
    if (shim_slot_label(all[i], label) == 0 && shim_hidden(&s, label)) continue;
    all[k++] = all[i];
  }
  if (list && *count < k) rv = CKR_BUFFER_TOO_SMALL;
  else if (list) memcpy(list, all, k * sizeof *all);
  *count = k;
  free(all);
  return rv;
}

static CK_RV shim_C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR info) {
  struct shim_config s;
  CK_RV rv = shim_pre_plain(FN_C_GetSlotInfo, &s);
  if (rv != CKR_OK) return rv;
  if ((rv = shim_real->C_GetSlotInfo(slotID, info)) != CKR_OK) return rv;
  /* The shim stands for a USB token in a reader: a hardware, removable slot. */
  info->flags |= CKF_HW_SLOT | CKF_REMOVABLE_DEVICE;
  if (s.nhide == 0) return rv;
  char label[SHIM_LABEL_LEN];
  if (shim_slot_label(slotID, label) == 0 && shim_hidden(&s, label)) info->flags &= ~(CK_FLAGS)CKF_TOKEN_PRESENT;
  return rv;
}

static int pinpad_for(const struct shim_config *s, const char *label) {
  return s->pinpad && (s->npinpad_tokens == 0 ||
    shim_label_in((const char (*)[SHIM_LABEL_LEN])s->pinpad_tokens, s->npinpad_tokens, label));
}

static void tries_key(char *key, size_t len, const char *label) { snprintf(key, len, "tries_left:%s", label); }

/* Token flags from our retry counter (SoftHSM never reports FINAL_TRY/LOCKED) and PIN pad. */
static CK_RV shim_C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR info) {
  struct shim_config s;
  char label[SHIM_LABEL_LEN], key[SHIM_LABEL_LEN + 16];
  CK_RV rv = shim_pre_slot(FN_C_GetTokenInfo, slotID, &s, label);
  if (rv != CKR_OK || (rv = shim_real->C_GetTokenInfo(slotID, info)) != CKR_OK) return rv;
  shim_trim_label(info->label, sizeof info->label, label);
  if (s.max_tries > 0) {
    tries_key(key, sizeof key, label);
    long left = shim_state_get(key, s.max_tries);
    if (left > s.max_tries) left = s.max_tries;
    info->flags &= ~(CK_FLAGS)(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
    if (left < s.max_tries) info->flags |= CKF_USER_PIN_COUNT_LOW;
    if (left == 1) info->flags |= CKF_USER_PIN_FINAL_TRY;
    if (left <= 0) info->flags |= CKF_USER_PIN_LOCKED;
  }
  if (pinpad_for(&s, label)) info->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
  return rv;
}

static CK_RV shim_C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify,
                                CK_SESSION_HANDLE_PTR ph) {
  struct shim_config s;
  char label[SHIM_LABEL_LEN];
  CK_RV rv = shim_pre_slot(FN_C_OpenSession, slotID, &s, label);
  if (rv != CKR_OK || (rv = shim_real->C_OpenSession(slotID, flags, app, notify, ph)) != CKR_OK) return rv;
  if (!label[0]) shim_slot_label(slotID, label);
  shim_add_session(*ph, slotID, label);
  if (label[0] && shim_take_logout(label)) shim_real->C_Logout(*ph); /* replugged: not logged in */
  return rv;
}

static CK_RV shim_C_CloseSession(CK_SESSION_HANDLE h) {
  struct shim_config s;
  CK_RV rv = shim_pre_plain(FN_C_CloseSession, &s);
  if (rv != CKR_OK) return rv;
  rv = shim_real->C_CloseSession(h); /* also for dead sessions: free the real one */
  shim_drop_sessions(0, h);
  return rv;
}

static CK_RV shim_C_CloseAllSessions(CK_SLOT_ID slotID) {
  struct shim_config s;
  CK_RV rv = shim_pre_plain(FN_C_CloseAllSessions, &s);
  if (rv != CKR_OK) return rv;
  rv = shim_real->C_CloseAllSessions(slotID);
  shim_drop_sessions(1, slotID);
  return rv;
}

/* Counts every call, keeps the retry counter, answers PIN_LOCKED itself, and plays the PIN pad. */
static CK_RV shim_C_Login(CK_SESSION_HANDLE h, CK_USER_TYPE who, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  struct shim_config s;
  struct sess se;
  char label[SHIM_LABEL_LEN], key[SHIM_LABEL_LEN + 16];
  CK_RV rv = shim_pre_session(FN_C_Login, h, &s, &se, 1);
  if (!shim_real) return rv;
  shim_session_label(h, &se, label);
  shim_state_add("login_calls", 1, 0, 0, 0x7fffffffL);
  if (label[0]) {
    snprintf(key, sizeof key, "login_calls:%s", label);
    shim_state_add(key, 1, 0, 0, 0x7fffffffL);
  }
  if (rv != CKR_OK) return rv;
  /* CONTEXT_SPECIFIC: re-entering the user PIN for an always-authenticate key counts too. */
  int counted = s.max_tries > 0 && (who == CKU_USER || who == CKU_CONTEXT_SPECIFIC) && label[0];
  tries_key(key, sizeof key, label);
  if (counted && shim_state_get(key, s.max_tries) <= 0) return CKR_PIN_LOCKED;
  /* NULL PIN per PKCS#11; empty too, since pkcs11js cannot pass NULL ('' arrives as len 0). */
  if ((pin == NULL || len == 0) && pinpad_for(&s, label)) {
    pin = (CK_UTF8CHAR_PTR)s.pinpad_pin;
    len = (CK_ULONG)strlen(s.pinpad_pin);
  }
  rv = shim_real->C_Login(h, who, pin, len);
  if (counted && rv == CKR_PIN_INCORRECT) shim_state_add(key, -1, s.max_tries, 0, s.max_tries);
  else if (counted && rv == CKR_OK) shim_state_set(key, s.max_tries);
  return rv;
}

/* The security officer setting a new user PIN unlocks the token, as on real ones. */
static CK_RV shim_C_InitPIN(CK_SESSION_HANDLE h, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  struct shim_config s;
  struct sess se;
  char label[SHIM_LABEL_LEN], key[SHIM_LABEL_LEN + 16];
  CK_RV rv = shim_pre_session(FN_C_InitPIN, h, &s, &se, 1);
  if (rv != CKR_OK || (rv = shim_real->C_InitPIN(h, pin, len)) != CKR_OK) return rv;
  shim_session_label(h, &se, label);
  if (s.max_tries > 0 && label[0]) {
    tries_key(key, sizeof key, label);
    shim_state_set(key, s.max_tries);
  }
  return rv;
}

/* ---- loading the real module ---- */

static CK_RV shim_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR pp);

#define SHIM_ENTRY(name) .name = shim_##name,
static CK_FUNCTION_LIST shim_list = {
  .version = { 2, 40 },
  SHIM_FUNCTIONS(SHIM_ENTRY)
};
#undef SHIM_ENTRY

static CK_RV load_rv = CKR_OK;

/* KYSO_SHIM_ISOLATE=1: load a private copy of the target, so a process that also loads the
 * real module directly gets two independent instances (one C_Initialize/C_Finalize each)
 * instead of sharing one. The copy is unlinked once mapped. */
static void *dlopen_private_copy(const char *target) {
  char tmp[] = "/tmp/kyso-shim-target-XXXXXX";
  int out = mkstemp(tmp);
  int in = open(target, O_RDONLY | O_CLOEXEC);
  void *handle = NULL;
  if (out >= 0 && in >= 0) {
    char buf[65536];
    ssize_t n;
    int ok = 1;
    while (ok && (n = read(in, buf, sizeof buf)) > 0) ok = write(out, buf, (size_t)n) == n;
    if (ok && n == 0 && close(out) == 0) { out = -1; handle = dlopen(tmp, RTLD_NOW | RTLD_LOCAL); }
  }
  if (in >= 0) close(in);
  if (out >= 0) close(out);
  unlink(tmp);
  return handle;
}

static void load_real(void) {
  const char *target = getenv("KYSO_SHIM_TARGET");
  const char *control = getenv("KYSO_SHIM_CONTROL");
  const char *state = getenv("KYSO_SHIM_STATE");
  if (!target || !*target) target = DEFAULT_TARGET;
  if (control && *control) {
    snprintf(shim_control_path, sizeof shim_control_path, "%s", control);
    shim_has_control = 1;
  }
  char state_path[4200];
  if (state && *state) snprintf(state_path, sizeof state_path, "%s", state);
  else if (shim_has_control) snprintf(state_path, sizeof state_path, "%s.state", shim_control_path);
  shim_state_init(state && *state ? state_path : (shim_has_control ? state_path : NULL));
  const char *isolate = getenv("KYSO_SHIM_ISOLATE");
  void *handle = isolate && *isolate == '1' ? dlopen_private_copy(target) : dlopen(target, RTLD_NOW | RTLD_LOCAL);
  if (!handle) { fprintf(stderr, "kyso-fault-shim: %s\n", dlerror()); load_rv = CKR_GENERAL_ERROR; return; }
  CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(handle, "C_GetFunctionList");
  if (!get) { fprintf(stderr, "kyso-fault-shim: %s: no C_GetFunctionList\n", target); load_rv = CKR_GENERAL_ERROR; return; }
  CK_FUNCTION_LIST_PTR list = NULL;
  load_rv = get(&list);
  if (load_rv == CKR_OK) shim_real = list;
}

static CK_RV shim_C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR pp) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  if (!pp) return CKR_ARGUMENTS_BAD;
  pthread_once(&once, load_real);
  if (load_rv != CKR_OK) return load_rv;
  *pp = &shim_list;
  return CKR_OK;
}

__attribute__((visibility("default"))) CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR pp) {
  return shim_C_GetFunctionList(pp);
}
