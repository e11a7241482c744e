import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Injectable } from '@nestjs/common';
import type { Font } from 'fontkit';
import { formatDate, localized, resultLine, textsFor } from './certificate-texts.js';
import type { CertificateFacts, CredentialUrls } from './open-badge.js';

/** DejaVu (Latin with diacritics and Cyrillic), loaded from the npm package, never from the system. */
const FONT_FILES = {
  sans: 'DejaVuSans.ttf',
  sansBold: 'DejaVuSans-Bold.ttf',
  serif: 'DejaVuSerif.ttf',
  serifBold: 'DejaVuSerif-Bold.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

/** Code points a certificate can contain: Latin with Serbian diacritics, Cyrillic, punctuation. */
const TEXT_RANGES: Array<[number, number]> = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
  [0x400, 0x4ff],
  [0x2010, 0x203a],
];

/**
 * Parsed once per process and shared by every document: pdfkit accepts a fontkit font and keeps
 * the subset per document, so reuse saves the table parsing (about 60% of a page's time).
 * fontkit caches a glyph with the code points it was FIRST looked up with, and subsetting looks up
 * composite glyphs' components (DejaVu builds "е", "š" … from "e", "s" …) with none; a later
 * document would then lose those letters from its text layer. So every glyph of the text ranges is
 * looked up once by its code point before any document is made.
 */
let fontCache: Record<FontName, Font> | null = null;
function fonts(parseFont: typeof import('fontkit').create): Record<FontName, Font> {
  if (!fontCache) {
    const require = createRequire(import.meta.url);
    const load = (file: string): Font => {
      const font = parseFont(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
      for (const [from, to] of TEXT_RANGES) {
        for (let cp = from; cp <= to; cp++) if (font.hasGlyphForCodePoint(cp)) font.glyphForCodePoint(cp);
      }
      return font;
    };
    fontCache = Object.fromEntries(Object.entries(FONT_FILES).map(([name, file]) => [name, load(file)])) as Record<FontName, Font>;
  }
  return fontCache;
}

/**
 * pdfkit, fontkit and qrcode are loaded on the first certificate, not at process start: together
 * they are about a tenth of an API replica's start-up, and most API processes never render one.
 */
export interface PdfLibraries {
  PDFDocument: typeof import('pdfkit');
  QRCode: typeof import('qrcode');
  parseFont: typeof import('fontkit').create;
}
let libraries: Promise<PdfLibraries> | null = null;
/** pdfkit, qrcode and fontkit, imported once per process on first use (also by the events reports). */
export function pdfLibraries(): Promise<PdfLibraries> {
  // One after the other: pdfkit and fontkit share dependencies, and Jest's ESM loader fails on two
  // concurrent imports of one CommonJS module.
  libraries ??= (async () => {
    const fontkit = await import('fontkit');
    const pdfkit = await import('pdfkit');
    const qrcode = await import('qrcode');
    return { PDFDocument: pdfkit.default, QRCode: qrcode.default, parseFont: fontkit.create };
  })().catch((e: unknown) => {
    libraries = null; // try again on the next certificate
    throw e;
  });
  return libraries;
}

const NAVY = '#1f3a5f';
const GOLD = '#b08d57';
const INK = '#222222';
const MUTED = '#5a6472';

// A4 landscape in points.
const W = 841.89;
const H = 595.28;

export interface RenderedCertificate {
  pdf: Buffer;
  sha256: string;
}

/**
 * Renders a certificate as a one-page A4 landscape PDF in the holder's language, with embedded
 * subsets of DejaVu fonts and a QR code of the verification URL drawn as vector modules (sharp in
 * print, cheaper than embedding an image). Deterministic: the document dates
 * are the issue date and the document id derives from them, so the same certificate always gives
 * the same bytes. About 20 ms of synchronous work a page.
 */
@Injectable()
export class CertificatePdfRenderer {
  async render(facts: CertificateFacts, urls: CredentialUrls): Promise<RenderedCertificate> {
    const locale = facts.holderLocale;
    const t = textsFor(locale);
    const title = localized(facts.courseTitle, locale, facts.defaultLanguage);
    const verificationUrl = urls.verification(facts.verificationCode);
    const { PDFDocument, QRCode, parseFont } = await pdfLibraries();
    const qr = QRCode.create(verificationUrl, { errorCorrectionLevel: 'M' });

    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: 0,
      autoFirstPage: true,
      lang: locale,
      displayTitle: true,
      info: {
        Title: `${title} — ${facts.holderName}`,
        Author: facts.schoolName,
        Subject: `${t.heading} ${facts.serial}`,
        Keywords: facts.serial,
        Creator: 'Public-servant learning module',
        Producer: 'Public-servant learning module',
        CreationDate: facts.issuedAt,
        ModDate: facts.issuedAt,
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise<void>((resolve, reject) => {
      doc.on('end', resolve);
      doc.on('error', reject);
    });
    for (const [name, font] of Object.entries(fonts(parseFont))) doc.registerFont(name, font as unknown as PDFKit.Mixins.PDFFontSource);

    // Frame.
    doc.lineWidth(3).strokeColor(NAVY).rect(18, 18, W - 36, H - 36).stroke();
    doc.lineWidth(0.8).strokeColor(GOLD).rect(27, 27, W - 54, H - 54).stroke();

    const contentX = 70;
    const contentW = W - 140;
    const centred = { width: contentW, align: 'center' as const };

    const school = facts.schoolName.toUpperCase();
    const schoolSize = fit(doc, 'sansBold', school, 11, 7, contentW, 1, 1.5);
    doc.font('sansBold').fontSize(schoolSize).fillColor(MUTED).text(school, contentX, 60, { ...centred, characterSpacing: 1.5, lineBreak: false, height: 16, ellipsis: true });
    doc.font('serifBold').fontSize(30).fillColor(NAVY).text(t.heading, contentX, 86, centred);
    doc.lineWidth(1.2).strokeColor(GOLD).moveTo(W / 2 - 70, 134).lineTo(W / 2 + 70, 134).stroke();

    doc.font('sans').fontSize(13).fillColor(MUTED).text(t.awardedTo, contentX, 152, centred);
    const nameSize = fit(doc, 'serifBold', facts.holderName, 34, 18, contentW, 1);
    doc.font('serifBold').fontSize(nameSize).fillColor(INK).text(facts.holderName, contentX, 176, { ...centred, lineBreak: false, height: 44, ellipsis: true });

    doc.font('sans').fontSize(13).fillColor(MUTED).text(t.forCompleting, contentX, 232, centred);
    const titleW = contentW - 60;
    const titleSize = fit(doc, 'serifBold', title, 22, 13, titleW, 2);
    doc.font('serifBold').fontSize(titleSize).fillColor(NAVY).text(title, contentX + 30, 256, { width: titleW, align: 'center', height: titleSize * 2.6, ellipsis: true });
    const afterTitle = Math.max(doc.y, 256 + titleSize * 1.3);
    const scoreLine = resultLine(facts.result, locale);
    doc.font('sans').fontSize(10).fillColor(MUTED).text(`${t.version} ${facts.courseVersion}${scoreLine ? `   ·   ${t.result}: ${scoreLine}` : ''}`, contentX, afterTitle + 2, centred);

    if (facts.competencies.length > 0) {
      doc.font('sansBold').fontSize(10).fillColor(INK).text(t.competencies, contentX + 60, afterTitle + 26, { width: contentW - 120, align: 'center' });
      // Whole items per row (a code is never split across lines), at most three rows.
      const items = facts.competencies.map((c) => `${c.code} (${t.level} ${c.level})`);
      doc.font('sans').fontSize(10);
      let y = doc.y + 2;
      for (const row of flowRows(doc, items, contentW - 120, '   ·   ', 3)) {
        doc.text(row, contentX + 60, y, { width: contentW - 120, align: 'center', lineBreak: false });
        y += doc.currentLineHeight(true);
      }
    }

    // Bottom: dates and serial on the left, the issuer in the middle, the QR code on the right.
    const baseY = 440;
    const rows: Array<[string, string]> = [
      [t.issuedOn, formatDate(facts.issuedAt, locale)],
      [t.validUntil, facts.expiresAt ? formatDate(facts.expiresAt, locale) : t.noExpiry],
      [t.serial, facts.serial],
    ];
    rows.forEach(([label, value], i) => {
      const y = baseY + i * 30;
      doc.font('sans').fontSize(8.5).fillColor(MUTED).text(label.toUpperCase(), 62, y, { width: 210, characterSpacing: 0.6 });
      doc.font('sansBold').fontSize(11).fillColor(INK).text(value, 62, y + 11, { width: 210 });
    });

    doc.lineWidth(0.8).strokeColor(INK).moveTo(W / 2 - 110, baseY + 48).lineTo(W / 2 + 110, baseY + 48).stroke();
    doc.font('sans').fontSize(8.5).fillColor(MUTED).text(t.issuer.toUpperCase(), W / 2 - 150, baseY + 54, { width: 300, align: 'center', characterSpacing: 0.6 });
    doc.font('sansBold').fontSize(11).fillColor(INK).text(facts.schoolName, W / 2 - 150, baseY + 66, { width: 300, align: 'center', height: 30, ellipsis: true });

    const qrSize = 96;
    const qrX = W - 62 - qrSize;
    const qrY = baseY - 22;
    drawQr(doc, qr.modules, qrX, qrY, qrSize);
    doc.font('sans').fontSize(7).fillColor(MUTED).text(t.verifyAt, qrX - 40, qrY + qrSize + 3, { width: qrSize + 40, align: 'right' });
    doc.font('sans').fontSize(5.5).fillColor(MUTED).text(verificationUrl, qrX - 90, qrY + qrSize + 13, { width: qrSize + 90, align: 'right' });

    doc.end();
    await ended;
    const pdf = Buffer.concat(chunks);
    return { pdf, sha256: createHash('sha256').update(pdf).digest('hex') };
  }
}

/** Draws QR modules as filled squares on a white quiet zone of two modules. */
function drawQr(doc: PDFKit.PDFDocument, modules: { size: number; get(row: number, col: number): number }, x: number, y: number, size: number): void {
  const quiet = 2;
  const cell = size / (modules.size + quiet * 2);
  doc.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < modules.size; row++) {
    // One rectangle per horizontal run of dark modules: fewer operators, no seams between squares.
    for (let col = 0; col < modules.size; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      doc.rect(x + (start + quiet) * cell, y + (row + quiet) * cell, (col - start) * cell, cell);
    }
  }
  doc.fill('#000000');
}

/** The largest font size from `max` down to `min` at which `text` fits in `lines` lines of `width`. */
function fit(doc: PDFKit.PDFDocument, font: FontName, text: string, max: number, min: number, width: number, lines: number, characterSpacing = 0): number {
  for (let size = max; size > min; size -= 1) {
    doc.font(font).fontSize(size);
    if (doc.heightOfString(text, { width, characterSpacing }) <= doc.currentLineHeight(true) * lines + 0.5) return size;
  }
  return min;
}

/** Greedy rows of whole items joined by `separator`, each no wider than `width`; the last row ends in "…" when items are left over. */
function flowRows(doc: PDFKit.PDFDocument, items: string[], width: number, separator: string, maxRows: number): string[] {
  const rows: string[] = [];
  let current = '';
  for (const item of items) {
    const candidate = current ? `${current}${separator}${item}` : item;
    if (!current || doc.widthOfString(candidate) <= width) {
      current = candidate;
      continue;
    }
    rows.push(current);
    current = item;
  }
  if (current) rows.push(current);
  if (rows.length <= maxRows) return rows;
  const kept = rows.slice(0, maxRows);
  kept[maxRows - 1] = `${kept[maxRows - 1]}${separator}…`;
  return kept;
}
