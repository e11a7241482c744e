import { DEFAULT_ZIP_LIMITS, manifestFileOf, PackageZip, parseCmi5, parseScormManifest, safeZipPath, UnsafeZipError } from '@lms/interop';
import { cmi5Files, scorm12Files, scorm2004Files, zip, type Files } from './fixtures.js';

async function parse(files: Files) {
  const z = await PackageZip.open(zip(files));
  const names = new Set(z.files.map((f) => f.path));
  const manifest = manifestFileOf(names);
  if (!manifest) throw new Error('no manifest');
  const xml = await z.read(manifest);
  return manifest === 'cmi5.xml' ? parseCmi5(xml, names) : parseScormManifest(xml, names);
}

async function refusal(buffer: Buffer, limits = DEFAULT_ZIP_LIMITS): Promise<UnsafeZipError> {
  try {
    const z = await PackageZip.open(buffer, limits);
    await z.extract(async (_name, stream) => {
      for await (const chunk of stream) void chunk;
    });
  } catch (e) {
    if (e instanceof UnsafeZipError) return e;
    throw e;
  }
  throw new Error('the zip was accepted');
}

describe('package zips and manifests (SCORM 1.2, SCORM 2004, cmi5)', () => {
  it('reads a SCORM 1.2 package: one SCO with its parameters and mastery score', async () => {
    const result = await parse(scorm12Files());
    expect(result.problems).toEqual([]);
    expect(result.package).toEqual({
      standard: 'scorm12',
      edition: null,
      identifier: 'lms.test.scorm12',
      title: 'Records management basics',
      activities: [{ identifier: 'item1', title: 'What a record is', launch: 'index.html?lang=en', kind: 'sco', masteryScore: 0.8, moveOn: null }],
    });
  });

  it('reads SCORM 2004 3rd and 4th edition packages with two SCOs in order', async () => {
    for (const edition of ['3rd', '4th'] as const) {
      const result = await parse(scorm2004Files(edition));
      expect(result.package).toMatchObject({ standard: 'scorm2004', edition, title: 'Open data in practice' });
      expect(result.package?.activities.map((a) => [a.identifier, a.launch])).toEqual([
        ['part1', 'one/index.html'],
        ['part2', 'two/index.html'],
      ]);
    }
  });

  it('reads a cmi5 course: AUs inside blocks, moveOn, masteryScore', async () => {
    const result = await parse(cmi5Files());
    expect(result.package).toEqual({
      standard: 'cmi5',
      edition: null,
      identifier: 'https://lms.test/cmi5/courses/ethics',
      title: 'AI ethics for managers',
      activities: [{ identifier: 'https://lms.test/cmi5/aus/au1', title: 'Fairness', launch: 'au1/index.html', kind: 'au', masteryScore: 0.7, moveOn: 'CompletedAndPassed' }],
    });
  });

  it('reports manifest errors by file and element', async () => {
    const broken = scorm2004Files();
    broken['imsmanifest.xml'] = (broken['imsmanifest.xml'] as string)
      .replace('<title>Finding data</title>', '')
      .replace('identifierref="sco2"', 'identifierref="nope"')
      .replace('href="one/index.html"><file', 'href="one/missing.html"><file');
    const result = await parse(broken);
    expect(result.package).toBeNull();
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { file: 'imsmanifest.xml', element: 'manifest/organizations/organization[1]/item[1]/title', message: 'is required' },
        { file: 'imsmanifest.xml', element: 'manifest/organizations/organization[1]/item[2]', message: 'identifierref nope names no resource' },
        { file: 'imsmanifest.xml', element: 'manifest/resources/resource[1]/@href', message: 'one/missing.html is not a file in the package' },
      ]),
    );
    const version = await parse({ ...scorm12Files(), 'imsmanifest.xml': (scorm12Files()['imsmanifest.xml'] as string).replace('<schemaversion>1.2</schemaversion>', '<schemaversion>CAM 1.3</schemaversion>') });
    expect(version.problems[0]).toMatchObject({ element: 'manifest/metadata/schemaversion' });
    const xml = await parse({ ...scorm12Files(), 'imsmanifest.xml': '<manifest identifier="x"><organizations></manifest>' });
    expect(xml.problems[0]).toMatchObject({ file: 'imsmanifest.xml', message: expect.stringContaining('not well-formed XML') });
    const cmi5 = cmi5Files();
    cmi5['cmi5.xml'] = (cmi5['cmi5.xml'] as string).replace('moveOn="CompletedAndPassed"', 'moveOn="Whenever"').replace('masteryScore="0.7"', 'masteryScore="70"').replace('<url>au1/index.html</url>', '<url>au1/gone.html</url>');
    const c = await parse(cmi5);
    expect(c.problems.map((p) => p.element)).toEqual([
      'courseStructure/block[1]/au[1]/url',
      'courseStructure/block[1]/au[1]/@moveOn',
      'courseStructure/block[1]/au[1]/@masteryScore',
    ]);
  });

  it('refuses zip-slip paths and symbolic links', async () => {
    expect(safeZipPath('../x')).toBeNull();
    expect(safeZipPath('a/../../x')).toBeNull();
    expect(safeZipPath('/etc/passwd')).toBeNull();
    expect(safeZipPath('C:/x')).toBeNull();
    expect(safeZipPath('a\\b')).toBeNull();
    expect(safeZipPath('a/b/c.html')).toBe('a/b/c.html');
    const slip = await refusal(zip({ ...scorm12Files(), '../evil.js': 'x' }));
    expect(slip.problem.message).toMatch(/leaves the package/);
    const link = await refusal(zip({ ...scorm12Files(), 'link.html': '/etc/passwd' }, { symlinks: ['link.html'] }));
    expect(link.problem).toMatchObject({ file: 'link.html', message: expect.stringMatching(/symbolic link/) });
  });

  it('refuses too many entries before inflating, and stops a zip bomb while inflating', async () => {
    const many: Files = {};
    for (let i = 0; i < 30; i++) many[`f${i}.txt`] = 'x';
    const tooMany = await refusal(zip(many), { ...DEFAULT_ZIP_LIMITS, maxEntries: 20 });
    expect(tooMany.problem.message).toMatch(/30 entries/);
    // 8 MiB of zeros deflates to a few KiB: refused by its declared ratio ...
    const bomb = zip({ 'zeros.bin': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(100 * 1024);
    const ratio = await refusal(bomb);
    expect(ratio.problem).toMatchObject({ file: 'zeros.bin', message: expect.stringMatching(/times its compressed size/) });
    // ... and, when the headers lie about the size, by the bytes counted while inflating.
    const lying = zip({ 'a.bin': new Uint8Array(300 * 1024) });
    for (let i = 0; i < lying.length - 4; i++) {
      const sig = lying.readUInt32LE(i);
      if (sig === 0x04034b50) lying.writeUInt32LE(1000, i + 22);
      if (sig === 0x02014b50) lying.writeUInt32LE(1000, i + 24);
    }
    const lied = await refusal(lying, { ...DEFAULT_ZIP_LIMITS, maxFileBytes: 100 * 1024 });
    expect(lied.problem).toMatchObject({ file: 'a.bin' });
    const size = await refusal(zip({ 'a.bin': new Uint8Array(300 * 1024), 'b.bin': new Uint8Array(300 * 1024) }), { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 500 * 1024 });
    expect(size.problem.message).toMatch(/beyond 512000 inflated bytes/);
    const perFile = await refusal(zip({ 'a.bin': new Uint8Array(300 * 1024) }), { ...DEFAULT_ZIP_LIMITS, maxFileBytes: 100 * 1024 });
    expect(perFile.problem).toMatchObject({ file: 'a.bin' });
    const notZip = await refusal(Buffer.from('this is not a zip'));
    expect(notZip.problem.message).toMatch(/not a readable zip/);
  });
});
