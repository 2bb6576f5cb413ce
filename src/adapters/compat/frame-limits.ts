// How large a vendor frame may be. The VGCA and VNPT-CA scripts send a whole document, base64,
// in one frame (no chunking of their own), so their cap follows the document cap and no further.

/** A document of `maxDocumentBytes` as base64, plus room for the JSON around it. */
export function wholeDocumentFrameBytes(maxDocumentBytes: number): number {
  return Math.ceil(maxDocumentBytes / 3) * 4 + 64 * 1024;
}
