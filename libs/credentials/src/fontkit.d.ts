// Minimal typing of what the certificate renderer uses from fontkit (pdfkit's own font engine).
declare module 'fontkit' {
  export interface Font {
    layout(text: string): unknown;
    postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
