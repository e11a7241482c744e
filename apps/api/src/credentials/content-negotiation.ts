interface MediaRange {
  type: string;
  q: number;
}

function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept.split(',').map((part) => {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    return { type: range.trim(), q: Number.isFinite(quality) ? quality : 0 };
  });
}

/** Quality the Accept header gives `type`: the most specific matching range wins (type, then major/*, then * / *). */
export function acceptQuality(accept: string | undefined, type: string): number {
  const ranges = parseAccept(accept);
  const major = type.split('/')[0];
  for (const candidate of [type, `${major}/*`, '*/*']) {
    const hit = ranges.find((r) => r.type === candidate);
    if (hit) return hit.q;
  }
  return 0;
}

/**
 * True when the client names `preferred` explicitly and ranks it at least as high as JSON (a
 * browser following the QR code sends text/html first). Wildcards alone keep the JSON default.
 */
export function prefers(accept: string | undefined, preferred: string): boolean {
  const explicit = parseAccept(accept).find((r) => r.type === preferred);
  return !!explicit && explicit.q > 0 && explicit.q >= acceptQuality(accept, 'application/json');
}
