import { type Readable, Transform } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/** Limits checked while reading a package (zip-bomb and zip-slip defences). */
export interface ZipLimits {
  /** Entries in the central directory (files and folders). */
  maxEntries: number;
  /** Inflated bytes of one file. */
  maxFileBytes: number;
  /** Inflated bytes of all files together. */
  maxTotalBytes: number;
  /** Inflated / compressed, for files above 1 MiB. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 5000, maxFileBytes: 100 * 1024 * 1024, maxTotalBytes: 500 * 1024 * 1024, maxRatio: 200 };

/** A problem with a package, by file (and element for manifests). */
export interface ZipProblem {
  file: string;
  element?: string;
  message: string;
}

/** A zip the importer refuses as a whole (unsafe or unreadable). */
export class UnsafeZipError extends Error {
  constructor(readonly problem: ZipProblem) {
    super(`${problem.file}: ${problem.message}`);
    this.name = 'UnsafeZipError';
  }
}

export interface ZipFileInfo {
  path: string;
  size: number;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** A path inside a package: relative, forward slashes, no '.', '..' or empty segments, no control characters. */
export function safeZipPath(name: string): string | null {
  if (!name || name.length > 1024 || name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return null;
  const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
  const segments = trimmed.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  return name;
}

/**
 * Reads an uploaded zip (SCORM/cmi5 packages, course-folder packages) with yauzl entry by entry, never trusting its headers: every name is checked for
 * zip-slip, symlink entries are refused, the entry count is checked before anything is inflated,
 * and inflated bytes are counted while streaming (per file, in total, and against the compression
 * ratio), so a zip bomb stops at the limit rather than after filling the disk.
 */
export class PackageZip {
  private constructor(
    private readonly source: Buffer,
    private readonly limits: ZipLimits,
    readonly files: ZipFileInfo[],
  ) {}

  /** Opens and checks the central directory (names, symlinks, counts, declared sizes). */
  static async open(source: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<PackageZip> {
    const zip = await openZip(source);
    try {
      if (zip.entryCount > limits.maxEntries) throw new UnsafeZipError({ file: '(zip)', message: `has ${zip.entryCount} entries; at most ${limits.maxEntries} are allowed` });
      const files: ZipFileInfo[] = [];
      let declared = 0;
      await eachEntry(zip, async (entry, name) => {
        if (name.endsWith('/')) return;
        files.push({ path: name, size: entry.uncompressedSize });
        declared += entry.uncompressedSize;
        checkDeclared(entry, name, limits, declared);
      });
      return new PackageZip(source, limits, files);
    } finally {
      zip.close();
    }
  }

  has(path: string): boolean {
    return this.files.some((f) => f.path === path);
  }

  /** One file's bytes (for manifests), with the same limits. */
  async read(path: string): Promise<Buffer> {
    let found: Buffer | undefined;
    await this.extract(async (name, stream) => {
      if (name !== path) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      found = Buffer.concat(chunks);
    }, (name) => name === path);
    if (!found) throw new UnsafeZipError({ file: path, message: 'is missing from the package' });
    return found;
  }

  /** Streams every file (or those `want` selects) to `onFile`, counting inflated bytes as they come. */
  async extract(onFile: (path: string, stream: Readable) => Promise<void>, want: (path: string) => boolean = () => true): Promise<void> {
    const zip = await openZip(this.source);
    let total = 0;
    try {
      await eachEntry(zip, async (entry, name) => {
        if (name.endsWith('/') || !want(name)) return;
        const inflated = await openStream(zip, entry);
        let size = 0;
        const limits = this.limits;
        const counted = new Transform({
          transform(chunk: Buffer, _enc, done) {
            size += chunk.length;
            total += chunk.length;
            const problem =
              size > limits.maxFileBytes
                ? `inflates beyond ${limits.maxFileBytes} bytes`
                : total > limits.maxTotalBytes
                  ? `takes the package beyond ${limits.maxTotalBytes} inflated bytes`
                  : size > 1024 * 1024 && size > entry.compressedSize * limits.maxRatio
                    ? `inflates more than ${limits.maxRatio} times its compressed size`
                    : null;
            if (problem) {
              inflated.unpipe(counted);
              inflated.destroy();
              done(new UnsafeZipError({ file: name, message: problem }));
            } else done(null, chunk);
          },
        });
        inflated.on('error', (e) => counted.destroy(e instanceof UnsafeZipError ? e : new UnsafeZipError({ file: name, message: `could not be inflated (${e.message})` })));
        inflated.pipe(counted);
        const stream = counted;
        await onFile(name, stream);
      });
    } finally {
      zip.close();
    }
  }
}

function checkDeclared(entry: Entry, name: string, limits: ZipLimits, declaredTotal: number): void {
  if (entry.uncompressedSize > limits.maxFileBytes) throw new UnsafeZipError({ file: name, message: `is ${entry.uncompressedSize} bytes; at most ${limits.maxFileBytes} are allowed per file` });
  if (declaredTotal > limits.maxTotalBytes) throw new UnsafeZipError({ file: name, message: `takes the package beyond ${limits.maxTotalBytes} inflated bytes` });
  if (entry.uncompressedSize > 1024 * 1024 && entry.uncompressedSize > entry.compressedSize * limits.maxRatio) {
    throw new UnsafeZipError({ file: name, message: `inflates more than ${limits.maxRatio} times its compressed size` });
  }
}

function openZip(source: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(source, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false }, (err, zip) => {
      if (err || !zip) reject(new UnsafeZipError({ file: '(zip)', message: `is not a readable zip archive (${err?.message ?? 'unknown error'})` }));
      else resolve(zip);
    });
  });
}

function openStream(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) reject(new UnsafeZipError({ file: '(zip)', message: `has an entry that cannot be read (${err?.message ?? 'unknown error'})` }));
      else resolve(stream);
    });
  });
}

/** Visits entries one at a time (lazyEntries), with a checked, decoded name. */
function eachEntry(zip: ZipFile, visit: (entry: Entry, name: string) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      reject(e instanceof UnsafeZipError ? e : new UnsafeZipError({ file: '(zip)', message: `could not be read (${e instanceof Error ? e.message : String(e)})` }));
    };
    zip.on('error', fail);
    zip.on('end', () => {
      if (!failed) resolve();
    });
    zip.on('entry', (entry: Entry) => {
      const raw = entry.fileName as unknown as Buffer;
      const decoded = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
      const name = safeZipPath(decoded);
      if (!name) return fail(new UnsafeZipError({ file: decoded.slice(0, 200), message: 'has a path that leaves the package (absolute, drive letter, backslash or ..): refused' }));
      if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) return fail(new UnsafeZipError({ file: name, message: 'is a symbolic link: refused' }));
      visit(entry, name).then(() => zip.readEntry(), fail);
    });
    zip.readEntry();
  });
}
