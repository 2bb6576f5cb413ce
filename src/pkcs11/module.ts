// One loaded PKCS#11 library. Loading can fail (missing file, wrong architecture, a driver that
// refuses C_Initialize): that is reported on the module, never thrown at the whole bridge.
import { basename } from 'node:path';
import pkcs11js from 'pkcs11js';
import { RwQueue } from './rw-queue.js';
import { toKysoError } from './ckr.js';

export interface ModuleStatus {
  path: string;
  name: string;
  loaded: boolean;
  error?: string;
  libraryDescription?: string;
  manufacturer?: string;
  cryptokiVersion?: string;
}

export class Pkcs11Module {
  readonly path: string;
  readonly p11 = new pkcs11js.PKCS11();
  name: string;
  private loadedLib = false;
  private initialized = false;
  private lastError?: string;
  private info?: pkcs11js.ModuleInfo;
  /** Bumped on every re-initialisation: handles from an older generation are dead. */
  generation = 0;
  /** Token operations hold it shared; re-initialisation (C_Finalize+C_Initialize) exclusive. */
  readonly lock = new RwQueue(Number.MAX_SAFE_INTEGER);

  constructor(path: string) {
    this.path = path;
    this.name = basename(path);
  }

  get loaded(): boolean {
    return this.initialized;
  }

  /** Loads and initialises; returns false (with `status().error`) instead of throwing. */
  open(): boolean {
    try {
      if (!this.loadedLib) {
        this.p11.load(this.path);
        this.loadedLib = true;
      }
      this.initialize();
      return true;
    } catch (e) {
      this.lastError = toKysoError(e, `load ${this.path}`).message;
      return false;
    }
  }

  private initialize(): void {
    try {
      // OS locking: pkcs11js runs C_SignAsync & co. on libuv worker threads.
      this.p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch (e) {
      if (!String((e as Error).message).includes('CKR_CRYPTOKI_ALREADY_INITIALIZED')) throw e;
    }
    this.initialized = true;
    this.generation++;
    this.lastError = undefined;
    this.info = this.p11.C_GetInfo();
    const desc = this.info.libraryDescription.trim();
    this.name = desc || basename(this.path);
  }

  /**
   * C_Finalize + C_Initialize: the only way some drivers (SoftHSM among them) show tokens that
   * appeared after start. Callers hold `lock` exclusively; every session and login is lost.
   */
  reinitialize(): void {
    if (this.initialized) {
      try { this.p11.C_Finalize(); } catch { /* a broken driver still gets a fresh start */ }
      this.initialized = false;
    }
    try {
      this.initialize();
    } catch (e) {
      this.lastError = toKysoError(e, `initialize ${this.path}`).message;
    }
  }

  close(): void {
    if (this.initialized) {
      try { this.p11.C_Finalize(); } catch { /* closing anyway */ }
      this.initialized = false;
    }
    if (this.loadedLib) {
      try { this.p11.close(); } catch { /* already gone */ }
      this.loadedLib = false;
    }
  }

  status(): ModuleStatus {
    const s: ModuleStatus = { path: this.path, name: this.name, loaded: this.initialized };
    if (this.lastError) s.error = this.lastError;
    if (this.info) {
      s.libraryDescription = this.info.libraryDescription.trim();
      s.manufacturer = this.info.manufacturerID.trim();
      s.cryptokiVersion = `${this.info.cryptokiVersion.major}.${this.info.cryptokiVersion.minor}`;
    }
    return s;
  }
}
