/* Counters that outlive a process (retry counter, login count): key=value lines in a state
 * file next to the control file. Writers lock "<state>.lock" with flock and replace the file
 * by rename, so a test reading it never sees half a file. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "shim.h"

#define KV_MAX 256
#define KEY_LEN 128

struct kv { char key[KEY_LEN]; long val; };

static pthread_mutex_t state_mu = PTHREAD_MUTEX_INITIALIZER;
static char state_path[4096];
static int use_file;
static struct kv mem[KV_MAX]; /* no file: in-memory store */
static int nmem;

void shim_state_init(const char *path) {
  pthread_mutex_lock(&state_mu);
  use_file = path && *path;
  if (use_file) snprintf(state_path, sizeof state_path, "%s", path);
  pthread_mutex_unlock(&state_mu);
}

static int load(struct kv *arr) {
  if (!use_file) { memcpy(arr, mem, sizeof mem); return nmem; }
  FILE *f = fopen(state_path, "r");
  if (!f) return 0;
  int n = 0;
  char line[512];
  while (n < KV_MAX && fgets(line, sizeof line, f)) {
    char *eq = strrchr(line, '=');
    if (!eq) continue;
    *eq = '\0';
    snprintf(arr[n].key, KEY_LEN, "%s", line);
    arr[n].val = strtol(eq + 1, NULL, 10);
    n++;
  }
  fclose(f);
  return n;
}

static void save(const struct kv *arr, int n) {
  if (!use_file) { memcpy(mem, arr, sizeof mem); nmem = n; return; }
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", state_path, (long)getpid());
  FILE *f = fopen(tmp, "w");
  if (!f) { perror("kyso-fault-shim: state file"); return; }
  for (int i = 0; i < n; i++) fprintf(f, "%s=%ld\n", arr[i].key, arr[i].val);
  fclose(f);
  if (rename(tmp, state_path) != 0) perror("kyso-fault-shim: state rename");
}

/* Runs op on the key's value under both locks; returns the value after it. */
static long with_key(const char *key, long dflt, int write, long (*op)(long, const long *), const long *args) {
  static struct kv arr[KV_MAX];
  pthread_mutex_lock(&state_mu);
  int lockfd = -1;
  if (use_file) {
    char lockpath[4200];
    snprintf(lockpath, sizeof lockpath, "%s.lock", state_path);
    lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lockfd >= 0) flock(lockfd, write ? LOCK_EX : LOCK_SH);
  }
  int n = load(arr), i;
  for (i = 0; i < n; i++) if (strcmp(arr[i].key, key) == 0) break;
  long before = i < n ? arr[i].val : dflt;
  long after = op ? op(before, args) : before;
  if (write && (i == n ? n < KV_MAX : 1)) {
    if (i == n) { snprintf(arr[n].key, KEY_LEN, "%s", key); n++; }
    arr[i].val = after;
    save(arr, n);
  }
  if (lockfd >= 0) close(lockfd); /* releases the flock */
  pthread_mutex_unlock(&state_mu);
  return after;
}

static long op_add(long v, const long *a) {
  v += a[0];
  if (v < a[1]) v = a[1];
  if (v > a[2]) v = a[2];
  return v;
}
static long op_set(long v, const long *a) { (void)v; return a[0]; }

long shim_state_get(const char *key, long dflt) { return with_key(key, dflt, 0, NULL, NULL); }

long shim_state_add(const char *key, long delta, long dflt, long lo, long hi) {
  const long args[3] = { delta, lo, hi };
  return with_key(key, dflt, 1, op_add, args);
}

void shim_state_set(const char *key, long value) {
  const long args[1] = { value };
  with_key(key, value, 1, op_set, args);
}
