import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Injectable } from '@nestjs/common';

export interface Asset {
  /** The name in URLs: `app.<hash>.css` for hashed assets, as is for the icons and the service worker. */
  name: string;
  type: string;
  body: Buffer;
  /** Brotli and gzip bodies of compressible assets (computed on first use); undefined for images. */
  readonly br?: Buffer;
  readonly gzip?: Buffer;
  etag: string;
  immutable: boolean;
}

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  webmanifest: 'application/manifest+json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['css', 'js', 'svg', 'webmanifest']);

/** libs/web/assets, beside src/ in the sources and beside the compiled code in dist/. */
const ASSET_DIR = new URL('../assets/', import.meta.url);

function build(name: string, type: string, body: Buffer, immutable: boolean): Asset {
  const ext = name.split('.').pop() ?? '';
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  const compress = COMPRESSIBLE.has(ext) && body.length > 256;
  // Compressed on the first request that accepts the encoding, then kept: brotli 11 of every asset
  // (the SCORM runtime alone is large) at construction cost ~0.5 s of CPU on each start.
  let br: Buffer | undefined;
  let gzip: Buffer | undefined;
  return {
    name,
    type,
    body,
    get br() {
      if (compress && !br) br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
      return br;
    },
    get gzip() {
      if (compress && !gzip) gzip = gzipSync(body, { level: 9 });
      return gzip;
    },
    etag: `"${hash}"`,
    immutable,
  };
}

/**
 * The static files of the web app, read once at start, content-hashed and compressed once on
 * first use (brotli 11 and gzip 9), served from memory: hashed names are `immutable` for a year; the
 * service worker and manifest keep fixed names and are revalidated.
 */
@Injectable()
export class AssetsService {
  private readonly byName = new Map<string, Asset>();
  readonly css: string;
  readonly js: string;
  /** The SCORM player of packaged lessons: the scorm-again runtime (from its npm package) and the page's glue. */
  readonly scormAgain: string;
  readonly player: string;
  readonly version: string;

  constructor() {
    const files = readdirSync(ASSET_DIR).filter((f) => !f.startsWith('.'));
    const read = (f: string): Buffer => readFileSync(new URL(f, ASSET_DIR));
    const hashed = (file: string): string => {
      const body = read(file);
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
      const [base, ext] = [file.slice(0, file.lastIndexOf('.')), file.slice(file.lastIndexOf('.') + 1)];
      const name = `${base}.${hash}.${ext}`;
      this.byName.set(name, build(name, TYPES[ext], body, true));
      return `/assets/${name}`;
    };
    this.css = hashed('app.css');
    this.js = hashed('app.js');
    this.player = hashed('player.js');
    const scormAgain = readFileSync(join(dirname(createRequire(import.meta.url).resolve('scorm-again')), 'scorm-again.min.js'));
    const scormName = `scorm-again.${createHash('sha256').update(scormAgain).digest('hex').slice(0, 12)}.js`;
    this.byName.set(scormName, build(scormName, TYPES.js, scormAgain, true));
    this.scormAgain = `/assets/${scormName}`;
    for (const f of files.filter((f) => /\.(svg|png)$/.test(f))) this.byName.set(f, build(f, TYPES[f.split('.').pop()!], read(f), false));
    this.version = createHash('sha256').update(this.css + this.js).digest('hex').slice(0, 12);
    const shell = ['/offline', this.css, this.js, '/assets/icon.svg'];
    const sw = read('sw.js').toString('utf8').replace('__VERSION__', this.version).replace('__SHELL_URLS__', JSON.stringify(shell));
    this.byName.set('sw.js', build('sw.js', TYPES.js, Buffer.from(sw), false));
  }

  get(name: string): Asset | undefined {
    return this.byName.get(name);
  }

  /** The web app manifest (installable), in the reader's language. */
  manifest(name: string, shortName: string, lang: string): Asset {
    const body = JSON.stringify({
      name,
      short_name: shortName,
      lang,
      start_url: '/',
      scope: '/',
      display: 'standalone',
      background_color: '#ffffff',
      theme_color: '#17365d',
      icons: [
        { src: '/assets/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: '/assets/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: '/assets/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      ],
    });
    return build('manifest.webmanifest', TYPES.webmanifest, Buffer.from(body), false);
  }
}
