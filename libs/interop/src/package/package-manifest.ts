import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ZipProblem as PackageProblem } from '@lms/storage';

export type PackageStandard = 'scorm12' | 'scorm2004' | 'cmi5';
export const CMI5_MOVE_ON = ['Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed', 'NotApplicable'] as const;
export type Cmi5MoveOn = (typeof CMI5_MOVE_ON)[number];

/** One launchable unit of a package: a SCORM SCO (or asset) or a cmi5 AU. It becomes a lesson. */
export interface PackageActivity {
  /** The item identifier (SCORM) or the AU id (cmi5, an IRI). */
  identifier: string;
  title: string;
  /** Path inside the package (with the item's parameters), or an absolute URL (cmi5 only). */
  launch: string;
  kind: 'sco' | 'asset' | 'au';
  /** SCORM 1.2 masteryscore (0-100) scaled to 0-1, or the cmi5 masteryScore. */
  masteryScore: number | null;
  /** cmi5 moveOn; for SCORM: how completion is decided (completed or passed). */
  moveOn: Cmi5MoveOn | null;
}

export interface ParsedPackage {
  standard: PackageStandard;
  /** '3rd' or '4th' for SCORM 2004. */
  edition: string | null;
  identifier: string;
  title: string;
  activities: PackageActivity[];
}

export type ManifestResult = { package: ParsedPackage; problems: [] } | { package: null; problems: PackageProblem[] };

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ['organization', 'item', 'resource', 'file', 'au', 'block', 'langstring', 'dependency'].includes(name),
  processEntities: true,
  htmlEntities: false,
});

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (v && typeof v === 'object' && typeof (v as Node)['#text'] === 'string') return ((v as Node)['#text'] as string).trim() || undefined;
  return undefined;
}

function attr(n: Node, name: string): string | undefined {
  const v = n[`@${name}`];
  return typeof v === 'string' ? v.trim() : undefined;
}

function list(v: unknown): Node[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Node[]) : v && typeof v === 'object' ? [v as Node] : [];
}

function parseXml(file: string, xml: Buffer, problems: PackageProblem[]): Node | null {
  const source = xml.toString('utf8').replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    problems.push({ file, element: `line ${valid.err.line}, column ${valid.err.col}`, message: `is not well-formed XML: ${valid.err.msg}` });
    return null;
  }
  return parser.parse(source) as Node;
}

/** Is a relative launch path in the package? (query and fragment ignored, %-escapes decoded) */
function inPackage(href: string, files: Set<string>): boolean {
  const path = href.split(/[?#]/)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  return files.has(decoded) || files.has(path);
}

/** SCORM item parameters appended to the resource href (IMS CP: '?' or '&' as the href needs; '#' kept). */
function withParameters(href: string, parameters: string): string {
  if (parameters.startsWith('#')) return `${href}${parameters}`;
  return `${href}${href.includes('?') ? '&' : '?'}${parameters.replace(/^[?&]/, '')}`;
}

function isAbsoluteUrl(v: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(v);
}

/**
 * SCORM 1.2 and 2004 (3rd, 4th edition) imsmanifest.xml: the default organization's items that
 * reference a resource become activities, in document order. Checked: well-formed XML, the
 * schema version, a default organization that exists, titles, identifierrefs that resolve,
 * resource scorm types and hrefs that exist in the package.
 */
export function parseScormManifest(xml: Buffer, files: Set<string>): ManifestResult {
  const file = 'imsmanifest.xml';
  const problems: PackageProblem[] = [];
  const doc = parseXml(file, xml, problems);
  if (!doc) return { package: null, problems };
  const manifest = doc.manifest as Node | undefined;
  if (!manifest || typeof manifest !== 'object') return { package: null, problems: [{ file, element: '(root)', message: 'the root element must be <manifest>' }] };
  const identifier = attr(manifest, 'identifier');
  if (!identifier) problems.push({ file, element: 'manifest', message: 'needs an identifier attribute' });
  const schemaVersion = text((manifest.metadata as Node | undefined)?.schemaversion);
  let standard: PackageStandard;
  let edition: string | null = null;
  if (schemaVersion === '1.2') standard = 'scorm12';
  else if (schemaVersion === '2004 3rd Edition' || schemaVersion === '2004 4th Edition') {
    standard = 'scorm2004';
    edition = schemaVersion.includes('3rd') ? '3rd' : '4th';
  } else {
    problems.push({ file, element: 'manifest/metadata/schemaversion', message: `must be 1.2, "2004 3rd Edition" or "2004 4th Edition" (got ${schemaVersion ? JSON.stringify(schemaVersion) : 'nothing'})` });
    return { package: null, problems };
  }
  const resources = new Map<string, { node: Node; index: number }>();
  list((manifest.resources as Node | undefined)?.resource).forEach((r, i) => {
    const id = attr(r, 'identifier');
    if (!id) problems.push({ file, element: `manifest/resources/resource[${i + 1}]`, message: 'needs an identifier attribute' });
    else if (resources.has(id)) problems.push({ file, element: `manifest/resources/resource[${i + 1}]`, message: `repeats the identifier ${id}` });
    else resources.set(id, { node: r, index: i + 1 });
  });
  const orgs = manifest.organizations as Node | undefined;
  const organizations = list(orgs?.organization);
  const defaultId = orgs ? attr(orgs, 'default') : undefined;
  const orgIndex = defaultId ? organizations.findIndex((o) => attr(o, 'identifier') === defaultId) : 0;
  if (!organizations.length) {
    problems.push({ file, element: 'manifest/organizations', message: 'needs at least one <organization>' });
    return { package: null, problems };
  }
  if (orgIndex < 0) {
    problems.push({ file, element: 'manifest/organizations', message: `the default organization ${defaultId} does not exist` });
    return { package: null, problems };
  }
  const org = organizations[orgIndex];
  const orgPath = `manifest/organizations/organization[${orgIndex + 1}]`;
  const title = text(org.title);
  if (!title) problems.push({ file, element: `${orgPath}/title`, message: 'is required' });
  const activities: PackageActivity[] = [];
  const walk = (items: Node[], path: string): void => {
    items.forEach((item, i) => {
      const here = `${path}/item[${i + 1}]`;
      const itemTitle = text(item.title);
      const itemId = attr(item, 'identifier');
      if (!itemId) problems.push({ file, element: here, message: 'needs an identifier attribute' });
      if (!itemTitle) problems.push({ file, element: `${here}/title`, message: 'is required' });
      const children = list(item.item);
      const ref = attr(item, 'identifierref');
      if (children.length) walk(children, here);
      if (!ref) {
        if (!children.length) problems.push({ file, element: here, message: 'a leaf item must reference a resource (identifierref)' });
        return;
      }
      const resource = resources.get(ref);
      if (!resource) {
        problems.push({ file, element: here, message: `identifierref ${ref} names no resource` });
        return;
      }
      const rPath = `manifest/resources/resource[${resource.index}]`;
      const scormType = (attr(resource.node, 'scormtype') ?? attr(resource.node, 'scormType'))?.toLowerCase();
      if (scormType !== 'sco' && scormType !== 'asset') problems.push({ file, element: rPath, message: `needs adlcp:${standard === 'scorm12' ? 'scormtype' : 'scormType'} sco or asset` });
      const href = attr(resource.node, 'href');
      if (!href) {
        problems.push({ file, element: rPath, message: 'a launched resource needs an href' });
        return;
      }
      if (isAbsoluteUrl(href) || !inPackage(href, files)) {
        problems.push({ file, element: `${rPath}/@href`, message: `${href} is not a file in the package` });
        return;
      }
      const parameters = attr(item, 'parameters');
      const launch = parameters ? withParameters(href, parameters) : href;
      let masteryScore: number | null = null;
      const mastery = text(item.masteryscore);
      if (mastery !== undefined) {
        const n = Number(mastery);
        if (!Number.isFinite(n) || n < 0 || n > 100) problems.push({ file, element: `${here}/masteryscore`, message: 'must be a number from 0 to 100' });
        else masteryScore = n / 100;
      }
      activities.push({ identifier: itemId ?? ref, title: itemTitle ?? ref, launch, kind: scormType === 'asset' ? 'asset' : 'sco', masteryScore, moveOn: null });
    });
  };
  walk(list(org.item), orgPath);
  if (!activities.length && !problems.length) problems.push({ file, element: orgPath, message: 'has no item that launches a resource' });
  for (const [id, r] of resources) {
    for (const [i, f] of list(r.node.file).entries()) {
      const href = attr(f, 'href');
      if (href && !isAbsoluteUrl(href) && !inPackage(href, files)) problems.push({ file, element: `manifest/resources/resource[${r.index}]/file[${i + 1}]`, message: `${href} (of resource ${id}) is not in the package` });
    }
  }
  if (problems.length) return { package: null, problems };
  return { package: { standard, edition, identifier: identifier!, title: title!, activities }, problems: [] };
}

function langText(v: unknown): string | undefined {
  const strings = list((v as Node | undefined)?.langstring);
  for (const s of strings) {
    const t = text(s);
    if (t) return t;
  }
  return text(v);
}

/**
 * cmi5.xml (cmi5 course structure): the course id and title, and every AU (also inside blocks)
 * with its id (an IRI), title, url (in the package or absolute), moveOn and masteryScore.
 */
export function parseCmi5(xml: Buffer, files: Set<string>): ManifestResult {
  const file = 'cmi5.xml';
  const problems: PackageProblem[] = [];
  const doc = parseXml(file, xml, problems);
  if (!doc) return { package: null, problems };
  const root = doc.courseStructure as Node | undefined;
  if (!root || typeof root !== 'object') return { package: null, problems: [{ file, element: '(root)', message: 'the root element must be <courseStructure>' }] };
  const course = root.course as Node | undefined;
  if (!course || typeof course !== 'object') return { package: null, problems: [{ file, element: 'courseStructure/course', message: 'is required' }] };
  const id = attr(course, 'id');
  if (!id || !isAbsoluteUrl(id)) problems.push({ file, element: 'courseStructure/course/@id', message: 'must be an IRI' });
  const title = langText(course.title);
  if (!title) problems.push({ file, element: 'courseStructure/course/title', message: 'needs a langstring' });
  const activities: PackageActivity[] = [];
  const seen = new Set<string>();
  const walk = (node: Node, path: string): void => {
    list(node.au).forEach((au, i) => {
      const here = `${path}/au[${i + 1}]`;
      const auId = attr(au, 'id');
      if (!auId || !isAbsoluteUrl(auId)) problems.push({ file, element: `${here}/@id`, message: 'must be an IRI' });
      else if (seen.has(auId)) problems.push({ file, element: `${here}/@id`, message: `repeats the AU id ${auId}` });
      else seen.add(auId);
      const auTitle = langText(au.title);
      if (!auTitle) problems.push({ file, element: `${here}/title`, message: 'needs a langstring' });
      const url = text(au.url);
      if (!url) problems.push({ file, element: `${here}/url`, message: 'is required' });
      else if (!isAbsoluteUrl(url) && !inPackage(url, files)) problems.push({ file, element: `${here}/url`, message: `${url} is not a file in the package` });
      const moveOn = attr(au, 'moveOn') ?? 'NotApplicable';
      if (!(CMI5_MOVE_ON as readonly string[]).includes(moveOn)) problems.push({ file, element: `${here}/@moveOn`, message: `must be one of ${CMI5_MOVE_ON.join(', ')}` });
      const masteryRaw = attr(au, 'masteryScore');
      let masteryScore: number | null = null;
      if (masteryRaw !== undefined) {
        const n = Number(masteryRaw);
        if (!Number.isFinite(n) || n < 0 || n > 1) problems.push({ file, element: `${here}/@masteryScore`, message: 'must be a decimal from 0 to 1' });
        else masteryScore = n;
      }
      const launchMethod = attr(au, 'launchMethod');
      if (launchMethod !== undefined && launchMethod !== 'AnyWindow' && launchMethod !== 'OwnWindow') problems.push({ file, element: `${here}/@launchMethod`, message: 'must be AnyWindow or OwnWindow' });
      if (auId && auTitle && url) activities.push({ identifier: auId, title: auTitle, launch: url, kind: 'au', masteryScore, moveOn: moveOn as Cmi5MoveOn });
    });
    list(node.block).forEach((b, i) => walk(b, `${path}/block[${i + 1}]`));
  };
  walk(root, 'courseStructure');
  if (!activities.length && !problems.length) problems.push({ file, element: 'courseStructure', message: 'needs at least one <au>' });
  if (problems.length) return { package: null, problems };
  return { package: { standard: 'cmi5', edition: null, identifier: id!, title: title!, activities }, problems: [] };
}

/** Which standard a package follows, from its root files: cmi5.xml first, then imsmanifest.xml. */
export function manifestFileOf(files: Set<string>): 'cmi5.xml' | 'imsmanifest.xml' | null {
  if (files.has('cmi5.xml')) return 'cmi5.xml';
  if (files.has('imsmanifest.xml')) return 'imsmanifest.xml';
  return null;
}
