// The per-connection document store and the daemon-wide budget: memory reserved at begin, given
// back on release and when the connection closes; results counted; the cap and BUSY.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DocumentBudget } from '../src/adapters/jsonrpc/document-budget.js';
import { DocumentStore } from '../src/adapters/jsonrpc/document-store.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('DocumentStore', () => {
  it('reserves the declared size at begin and frees everything on clear (disconnect)', () => {
    const budget = new DocumentBudget(100);
    const a = new DocumentStore(budget, () => 60);
    const b = new DocumentStore(budget, () => 60);
    const d1 = a.begin({ name: 'a', mediaType: 'application/pdf', size: 60, sha256: sha(Buffer.alloc(60)) });
    expect(budget.usedBytes).toBe(60);
    expect(() => b.begin({ name: 'b', mediaType: 'application/pdf', size: 50, sha256: sha(Buffer.alloc(50)) })).toThrow(expect.objectContaining({ code: 'BUSY' }));
    expect(() => a.begin({ name: 'c', mediaType: 'application/pdf', size: 61, sha256: sha(Buffer.alloc(61)) })).toThrow(expect.objectContaining({ code: 'DOCUMENT_TOO_LARGE' }));
    a.put(d1.id, 0, Buffer.alloc(60));
    expect(a.end(d1.id)).toEqual({ size: 60, sha256: sha(Buffer.alloc(60)) });
    const r = a.addResult(Buffer.alloc(70), 'a', 'application/pdf', createHash('sha256').update(Buffer.alloc(70)).digest('hex'));
    expect(budget.usedBytes).toBe(130); // results are counted, never refused
    expect(a.read(r.id, 65, 10)).toMatchObject({ eof: true });
    a.clear();
    expect(budget.usedBytes).toBe(0);
    expect(() => a.content(d1.id)).toThrow(expect.objectContaining({ code: 'DOCUMENT_NOT_FOUND' }));
    b.begin({ name: 'b', mediaType: 'application/pdf', size: 50, sha256: sha(Buffer.alloc(50)) });
    expect(budget.usedBytes).toBe(50);
  });
});
