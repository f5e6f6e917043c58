// Azure (ASP.NET-style) route templates for the local host: parse, match a path, and rank by specificity.
import type { HttpMethod } from '@azure/functions';

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string; constraint?: string; optional: boolean }
  | { kind: 'catchAll'; name: string };

export interface CompiledTemplate {
  template: string;
  segments: Segment[];
}

const CONSTRAINTS: Record<string, (v: string) => boolean> = {
  int: (v) => /^-?\d+$/.test(v),
  long: (v) => /^-?\d+$/.test(v),
  alpha: (v) => /^[A-Za-z]+$/.test(v),
  bool: (v) => /^(true|false)$/i.test(v),
  guid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
};

/** Parses `ledgers/{ledger}/{key:int}/{rest?}` or `files/{*path}`; throws on templates Azure would reject. */
export function compileTemplate(template: string): CompiledTemplate {
  const parts = template.replace(/^\/+|\/+$/g, '').split('/');
  const segments = parts.map((part, i): Segment => {
    const m = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z]+))?(\?)?\}$/.exec(part);
    if (m === null) {
      if (part.includes('{') || part.includes('}'))
        throw new Error(`Route template ${template}: unsupported segment ${part}.`);
      if (part === '') throw new Error(`Route template ${template}: empty segment.`);
      return { kind: 'literal', text: part };
    }
    const [, star, name = '', constraint, optional] = m;
    if (constraint !== undefined && CONSTRAINTS[constraint] === undefined) {
      throw new Error(`Route template ${template}: constraint ${constraint} is not supported by the local host.`);
    }
    if ((star !== undefined || optional !== undefined) && i !== parts.length - 1) {
      throw new Error(`Route template ${template}: {${star ?? ''}${name}${optional ?? ''}} must be the last segment.`);
    }
    if (star !== undefined) return { kind: 'catchAll', name };
    return { kind: 'param', name, constraint, optional: optional !== undefined };
  });
  return { template, segments };
}

/** Route values for `path` (already stripped of `/api/`, not yet decoded), or undefined when it does not match. */
export function matchTemplate(compiled: CompiledTemplate, path: string): Record<string, string> | undefined {
  const parts = path === '' ? [] : path.split('/');
  const params: Record<string, string> = {};
  const { segments } = compiled;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const raw = parts[i];
    if (seg.kind === 'catchAll') {
      const rest = decode(parts.slice(i).join('/'));
      if (rest === undefined) return undefined;
      params[seg.name] = rest;
      return params;
    }
    if (raw === undefined || raw === '') {
      if (seg.kind === 'param' && seg.optional) return parts.length <= i + 1 ? params : undefined;
      return undefined;
    }
    const value = decode(raw);
    if (value === undefined) return undefined;
    if (seg.kind === 'literal') {
      // ASP.NET routing compares literals case-insensitively.
      if (value.toLowerCase() !== seg.text.toLowerCase()) return undefined;
    } else {
      if (seg.constraint !== undefined && !CONSTRAINTS[seg.constraint]!(value)) return undefined;
      params[seg.name] = value;
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Specificity per segment, as ASP.NET ranks them: literal > constrained > plain > optional > catch-all. */
function rank(seg: Segment): number {
  if (seg.kind === 'literal') return 5;
  if (seg.kind === 'catchAll') return 1;
  if (seg.optional) return 2;
  return seg.constraint !== undefined ? 4 : 3;
}

/** Negative when `a` is more specific than `b` (sort ascending to try the most specific first). */
export function compareSpecificity(a: CompiledTemplate, b: CompiledTemplate): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const ra = a.segments[i] ? rank(a.segments[i]!) : 0;
    const rb = b.segments[i] ? rank(b.segments[i]!) : 0;
    if (ra !== rb) return rb - ra;
  }
  return 0;
}

export interface RouteMatch<T> {
  entry: T;
  params: Record<string, string>;
}

/** A table of compiled templates with methods; finds the most specific route for a path and method. */
export class RouteMatcher<T extends { methods: readonly HttpMethod[]; route: string }> {
  private readonly entries: { entry: T; compiled: CompiledTemplate }[];

  constructor(entries: readonly T[]) {
    this.entries = entries
      .map((entry) => ({ entry, compiled: compileTemplate(entry.route) }))
      .sort((a, b) => compareSpecificity(a.compiled, b.compiled));
  }

  /** `match` for the chosen route (`*`: any method); `allowed` lists methods of routes whose path matched, for a 405. */
  find(path: string, method: string): { match?: RouteMatch<T>; allowed: HttpMethod[] } {
    const allowed = new Set<HttpMethod>();
    for (const { entry, compiled } of this.entries) {
      const params = matchTemplate(compiled, path);
      if (params === undefined) continue;
      if (method === '*' || entry.methods.includes(method as HttpMethod))
        return { match: { entry, params }, allowed: [...entry.methods] };
      for (const m of entry.methods) allowed.add(m);
    }
    return { allowed: [...allowed] };
  }
}
