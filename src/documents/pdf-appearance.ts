// The visible signature: a form XObject with an optional PNG (signature or seal image) on the left
// and lines of Vietnamese text on the right, in the bundled Noto Sans (OFL, full Vietnamese
// coverage), subset-embedded with @cantoo/fontkit.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fontkit from '@cantoo/fontkit';
import {
  beginText, drawObject, endText, moveText, popGraphicsState, pushGraphicsState, concatTransformationMatrix,
  setFillingRgbColor, setFontAndSize, showText, type PDFDocument, type PDFFont, type PDFImage, type PDFRef,
} from '@cantoo/pdf-lib';
import { invalidParams } from './errors.js';

export const MAX_IMAGE_BYTES = 1024 * 1024;
const FONT_FILE = 'NotoSans-Regular.ttf';
let fontBytes: Buffer | undefined;

/** assets/fonts of the package, from src/documents (tsx) or dist/src/documents (built). */
function fontPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const p = join(here, up, 'assets', 'fonts', FONT_FILE);
    if (existsSync(p)) return p;
  }
  throw new Error(`bundled font ${FONT_FILE} not found`);
}

export function signatureFont(): Buffer {
  fontBytes ??= readFileSync(fontPath());
  return fontBytes;
}

export interface AppearanceInput {
  width: number;
  height: number;
  lines: string[];
  imagePng?: Buffer;
}

function fitFontSize(font: PDFFont, lines: string[], width: number, height: number): number {
  const widest = Math.max(1, ...lines.map((l) => font.widthOfTextAtSize(l, 1)));
  const byWidth = (width - 4) / widest;
  const byHeight = (height - 4) / (Math.max(1, lines.length) * 1.25);
  return Math.max(3, Math.min(10, byWidth, byHeight));
}

async function embedImage(doc: PDFDocument, png: Buffer): Promise<PDFImage> {
  if (png.length > MAX_IMAGE_BYTES) throw invalidParams(`signature image larger than ${MAX_IMAGE_BYTES} bytes`);
  try {
    return await doc.embedPng(png);
  } catch (e) {
    throw invalidParams(`signature image is not a PNG: ${(e as Error).message}`);
  }
}

/** Builds and registers the appearance stream; returns its reference. */
export async function buildAppearance(doc: PDFDocument, input: AppearanceInput): Promise<PDFRef> {
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(signatureFont(), { subset: true });
  const { width, height } = input;
  const ops = [pushGraphicsState()];
  const resources: Record<string, Record<string, PDFRef>> = { Font: { F1: font.ref } };
  let textX = 2;
  if (input.imagePng) {
    const image = await embedImage(doc, input.imagePng);
    const scale = Math.min((width * 0.4) / image.width, height / image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    ops.push(pushGraphicsState(), concatTransformationMatrix(w, 0, 0, h, 0, (height - h) / 2), drawObject('Im1'), popGraphicsState());
    resources.XObject = { Im1: image.ref };
    textX = w + 4;
  }
  const size = fitFontSize(font, input.lines, width - textX, height);
  const lineHeight = size * 1.25;
  const top = height - (height - lineHeight * input.lines.length) / 2 - size;
  ops.push(beginText(), setFillingRgbColor(0, 0, 0.55), setFontAndSize('F1', size), moveText(textX, top));
  input.lines.forEach((line, i) => {
    if (i > 0) ops.push(moveText(0, -lineHeight));
    ops.push(showText(font.encodeText(line)));
  });
  ops.push(endText(), popGraphicsState());
  const stream = doc.context.formXObject(ops, { BBox: [0, 0, width, height], Resources: resources });
  return doc.context.register(stream);
}

/** The empty appearance an invisible signature still carries (PDF/A and Adobe expect /AP). */
export function emptyAppearance(doc: PDFDocument): PDFRef {
  return doc.context.register(doc.context.formXObject([], { BBox: [0, 0, 0, 0], Resources: {} }));
}
