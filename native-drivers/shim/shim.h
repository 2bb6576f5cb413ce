/* Shared declarations of the kyso fault-injecting PKCS#11 shim (see kyso-fault-shim.c). */
#ifndef KYSO_SHIM_H
#define KYSO_SHIM_H

#include <p11-kit/pkcs11.h>

#define SHIM_LIST_MAX 16
#define SHIM_LABEL_LEN 33 /* CK_TOKEN_INFO.label is 32 bytes, space padded */
#define SHIM_PIN_LEN 65

/* Every PKCS#11 2.40 function, in one list: enum, names and per-function switches come from it. */
#define SHIM_FUNCTIONS(X) \
  X(C_Initialize) X(C_Finalize) X(C_GetInfo) X(C_GetFunctionList) X(C_GetSlotList) \
  X(C_GetSlotInfo) X(C_GetTokenInfo) X(C_GetMechanismList) X(C_GetMechanismInfo) \
  X(C_InitToken) X(C_InitPIN) X(C_SetPIN) X(C_OpenSession) X(C_CloseSession) \
  X(C_CloseAllSessions) X(C_GetSessionInfo) X(C_GetOperationState) X(C_SetOperationState) \
  X(C_Login) X(C_Logout) X(C_CreateObject) X(C_CopyObject) X(C_DestroyObject) \
  X(C_GetObjectSize) X(C_GetAttributeValue) X(C_SetAttributeValue) X(C_FindObjectsInit) \
  X(C_FindObjects) X(C_FindObjectsFinal) X(C_EncryptInit) X(C_Encrypt) X(C_EncryptUpdate) \
  X(C_EncryptFinal) X(C_DecryptInit) X(C_Decrypt) X(C_DecryptUpdate) X(C_DecryptFinal) \
  X(C_DigestInit) X(C_Digest) X(C_DigestUpdate) X(C_DigestKey) X(C_DigestFinal) \
  X(C_SignInit) X(C_Sign) X(C_SignUpdate) X(C_SignFinal) X(C_SignRecoverInit) \
  X(C_SignRecover) X(C_VerifyInit) X(C_Verify) X(C_VerifyUpdate) X(C_VerifyFinal) \
  X(C_VerifyRecoverInit) X(C_VerifyRecover) X(C_DigestEncryptUpdate) \
  X(C_DecryptDigestUpdate) X(C_SignEncryptUpdate) X(C_DecryptVerifyUpdate) \
  X(C_GenerateKey) X(C_GenerateKeyPair) X(C_WrapKey) X(C_UnwrapKey) X(C_DeriveKey) \
  X(C_SeedRandom) X(C_GenerateRandom) X(C_GetFunctionStatus) X(C_CancelFunction) \
  X(C_WaitForSlotEvent)

#define SHIM_ENUM(name) FN_##name,
enum shim_fn { SHIM_FUNCTIONS(SHIM_ENUM) FN_COUNT };
#undef SHIM_ENUM

/* What the control file asks for; a fresh copy is parsed on every call. */
struct shim_config {
  char hide[SHIM_LIST_MAX][SHIM_LABEL_LEN]; /* hide=LABEL[,LABEL…]: tokens unplugged */
  int nhide;
  int max_tries;                             /* max_tries=N (default 3, 0 = no counter) */
  unsigned latency_ms;                       /* latency_ms=N */
  unsigned char latency_on[FN_COUNT];        /* latency_calls=C_Sign,… | all (default all) */
  unsigned char fail_on[FN_COUNT];           /* fail=C_Sign,… | all */
  CK_RV fail_rv;                             /* fail_rv=0x30 (default CKR_FUNCTION_FAILED) */
  int pinpad;                                /* pinpad=1: CKF_PROTECTED_AUTHENTICATION_PATH */
  char pinpad_tokens[SHIM_LIST_MAX][SHIM_LABEL_LEN]; /* pinpad_tokens=LABEL,… (default all) */
  int npinpad_tokens;
  char pinpad_pin[SHIM_PIN_LEN];             /* pinpad_pin=…: what the "user types" on the pad */
  int slot_events;                           /* slot_events=1: C_WaitForSlotEvent reports hide= */
};

/* An open session and the token it belongs to (epoch: how often that token had vanished). */
struct sess { CK_SESSION_HANDLE h; CK_SLOT_ID slot; char label[SHIM_LABEL_LEN]; unsigned long epoch; };

/* shim-core.c */
extern CK_FUNCTION_LIST_PTR shim_real;
extern char shim_control_path[4096];
extern int shim_has_control;
void shim_snapshot(struct shim_config *out);
int shim_hidden(const struct shim_config *s, const char *label);
int shim_slot_label(CK_SLOT_ID slot, char out[SHIM_LABEL_LEN]);
void shim_add_session(CK_SESSION_HANDLE h, CK_SLOT_ID slot, const char *label);
void shim_drop_sessions(int by_slot, CK_ULONG key);
void shim_clear_sessions(void);
CK_RV shim_session_gate(const struct shim_config *s, CK_SESSION_HANDLE h, struct sess *se);
CK_RV shim_pre_plain(int fn, struct shim_config *s);
/* inject_fail=0: the caller applies fail= itself (after ending the real operation). */
CK_RV shim_pre_session(int fn, CK_SESSION_HANDLE h, struct shim_config *s, struct sess *se, int inject_fail);
CK_RV shim_pre_slot(int fn, CK_SLOT_ID slot, struct shim_config *s, char label[SHIM_LABEL_LEN]);
int shim_take_logout(const char *label);
void shim_session_label(CK_SESSION_HANDLE h, const struct sess *se, char out[SHIM_LABEL_LEN]);

/* shim-events.c */
void shim_events_start(void); /* after C_Initialize: what is present now is no event */
void shim_events_stop(void);  /* C_Finalize: blocked waiters return */
CK_RV shim_wait_event(CK_FLAGS flags, CK_SLOT_ID_PTR slot);

/* shim-control.c */
const char *shim_fn_name(int fn);
void shim_config_defaults(struct shim_config *c);
void shim_config_read(const char *path, struct shim_config *c);
int shim_label_in(const char list[][SHIM_LABEL_LEN], int n, const char *label);
void shim_trim_label(const unsigned char *raw, size_t len, char out[SHIM_LABEL_LEN]);

/* shim-state.c: counters shared by every process using the same control file */
void shim_state_init(const char *path); /* NULL: kept in memory only */
long shim_state_get(const char *key, long dflt);
long shim_state_add(const char *key, long delta, long dflt, long lo, long hi);
void shim_state_set(const char *key, long value);

#endif
