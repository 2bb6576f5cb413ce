// Sample PDFs for the document tests, made with pdf-lib (a plain save, like any office tool's
// output): a few pages of text, optionally padded with an incompressible image to reach a size.
import { randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';

export async function samplePdf(opts: { pages?: number; padBytes?: number; useObjectStreams?: boolean } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= (opts.pages ?? 3); i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Ho so thu nghiem - trang ${i}`, { x: 60, y: 760, size: 18, font });
  }
  if (opts.padBytes) {
    // Random bytes do not compress: the file grows by about padBytes.
    const stream = doc.context.stream(randomBytes(opts.padBytes), { Type: 'XObject', Subtype: 'Image', Width: 1, Height: 1, ColorSpace: 'DeviceGray', BitsPerComponent: 8 });
    doc.getPage(0).node.setXObject(doc.context.obj('Pad') as never, doc.context.register(stream));
  }
  return Buffer.from(await doc.save({ useObjectStreams: opts.useObjectStreams ?? false }));
}
