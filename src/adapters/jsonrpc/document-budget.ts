// The daemon-wide memory budget for uploaded documents: every connection's store reserves the
// declared size at document.begin, and gives it back on release or disconnect. Signed results
// are counted but never refused: each one cost the user a consent dialog, so a page cannot pile
// them up on its own.
export class DocumentBudget {
  private used = 0;

  constructor(readonly limitBytes: number) {}

  get usedBytes(): number {
    return this.used;
  }

  /** Reserves n bytes if they fit; false when the budget is spent. */
  tryReserve(n: number): boolean {
    if (this.used + n > this.limitBytes) return false;
    this.used += n;
    return true;
  }

  /** Counts n bytes even past the limit (signed results). */
  force(n: number): void {
    this.used += n;
  }

  free(n: number): void {
    this.used = Math.max(0, this.used - n);
  }
}
