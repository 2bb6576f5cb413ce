// The documents of one JSON-RPC connection: uploads in chunks (document.begin/put/end), signed
// results kept for document.get, both freed by document.release or when the connection closes.
// Ids are random and live in this store only, so another connection's id is simply not found.
// Memory: each upload is allocated once at its declared size (never grown), at most
// MAX_UPLOADS_IN_PROGRESS are open, and the daemon-wide DocumentBudget caps what all hold.
import { createHash, randomUUID } from 'node:crypto';
import { KysoError } from '../../errors.js';
import type { DocumentBudget } from './document-budget.js';
import { MAX_UPLOADS_IN_PROGRESS } from './document-limits.js';

export interface StoredDocument {
  readonly id: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  /** Allocated at the declared size; filled up to `received`. */
  readonly bytes: Buffer;
  received: number;
  state: 'uploading' | 'complete';
  /** Declared by the page for an upload; computed for a complete document. */
  sha256: string;
}

export interface BeginParams { name: string; mediaType: string; size: number; sha256: string }

const sha256Hex = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export class DocumentStore {
  private readonly docs = new Map<string, StoredDocument>();

  constructor(private readonly budget: DocumentBudget, private readonly maxBytes: () => number) {}

  begin(p: BeginParams): StoredDocument {
    this.checkSize(p.size);
    const open = [...this.docs.values()].filter((d) => d.state === 'uploading').length;
    if (open >= MAX_UPLOADS_IN_PROGRESS) throw new KysoError('BUSY', { uploadsInProgress: open }, `at most ${MAX_UPLOADS_IN_PROGRESS} uploads in progress per connection`);
    if (!this.budget.tryReserve(p.size)) throw new KysoError('BUSY', {}, 'the bridge holds too many documents; release some or try again later');
    const doc: StoredDocument = { id: randomUUID(), name: p.name, mediaType: p.mediaType, size: p.size, bytes: Buffer.alloc(p.size), received: 0, state: 'uploading', sha256: p.sha256 };
    this.docs.set(doc.id, doc);
    return doc;
  }

  /** Appends a chunk; it must start exactly where the bytes received so far end. */
  put(id: string, offset: number, data: Buffer): number {
    const doc = this.find(id);
    if (doc.state !== 'uploading') throw new KysoError('INVALID_PARAMS', { field: 'documentId' }, 'documentId: the upload has already ended');
    if (offset !== doc.received) {
      throw new KysoError('UPLOAD_INCOMPLETE', { received: doc.received, offset }, `offset ${offset} is not the ${doc.received} bytes received so far`);
    }
    if (offset + data.length > doc.size) {
      throw new KysoError('UPLOAD_INCOMPLETE', { received: doc.received, size: doc.size }, `the chunk goes past the declared size ${doc.size}`);
    }
    data.copy(doc.bytes, offset);
    doc.received += data.length;
    return doc.received;
  }

  /**
   * Ends an upload: every declared byte received and the SHA-256 as declared. A short upload stays
   * open (it can go on); a wrong digest drops it, since its bytes are not what the page meant.
   */
  end(id: string): { size: number; sha256: string } {
    const doc = this.find(id);
    if (doc.state === 'complete') return { size: doc.size, sha256: doc.sha256 };
    if (doc.received !== doc.size) throw new KysoError('UPLOAD_INCOMPLETE', { received: doc.received, size: doc.size }, `${doc.received} of ${doc.size} bytes received`);
    const actual = sha256Hex(doc.bytes);
    if (actual !== doc.sha256) {
      this.release(id);
      throw new KysoError('UPLOAD_INCOMPLETE', { expected: doc.sha256, actual }, 'the SHA-256 of the bytes received is not the one declared');
    }
    doc.state = 'complete';
    return { size: doc.size, sha256: doc.sha256 };
  }

  /** A complete document's bytes (an upload still in progress cannot be signed or read). */
  content(id: string): StoredDocument {
    const doc = this.find(id);
    if (doc.state !== 'complete') throw new KysoError('UPLOAD_INCOMPLETE', { received: doc.received, size: doc.size }, 'the upload has not ended (document.end)');
    return doc;
  }

  read(id: string, offset: number, length: number): { data: Buffer; eof: boolean } {
    const doc = this.content(id);
    if (offset > doc.size) throw new KysoError('INVALID_PARAMS', { field: 'offset' }, `offset: past the end of the document (${doc.size} bytes)`);
    const end = Math.min(doc.size, offset + length);
    return { data: doc.bytes.subarray(offset, end), eof: end >= doc.size };
  }

  /** Keeps a signed result for document.get (its SHA-256 already computed by the caller). */
  addResult(bytes: Buffer, name: string, mediaType: string, sha256: string): StoredDocument {
    this.budget.force(bytes.length);
    const doc: StoredDocument = { id: randomUUID(), name, mediaType, size: bytes.length, bytes, received: bytes.length, state: 'complete', sha256 };
    this.docs.set(doc.id, doc);
    return doc;
  }

  release(id: string): void {
    const doc = this.find(id);
    this.docs.delete(id);
    this.budget.free(doc.size);
  }

  /** The connection closed: everything it held goes. */
  clear(): void {
    for (const id of [...this.docs.keys()]) this.release(id);
  }

  checkSize(size: number): void {
    const max = this.maxBytes();
    if (size > max) throw new KysoError('DOCUMENT_TOO_LARGE', { size, maxSize: max }, `${size} bytes, the limit is ${max}`);
  }

  private find(id: string): StoredDocument {
    const doc = this.docs.get(id);
    if (!doc) throw new KysoError('DOCUMENT_NOT_FOUND', { documentId: id });
    return doc;
  }
}
