// The house rules of ARCHITECTURE.md on imports: arrows point one way (shared ← functions, addin ← local) and no cycles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importCycles, importsOf, sourceFiles, type ImportEdge } from './importGraph';

const FOLDERS = ['shared', 'functions', 'addin', 'local'];
const files = sourceFiles(FOLDERS);
const edges = files.flatMap((f) => importsOf(f));

/** What a folder may not import: `from` prefix → forbidden target prefixes. */
const FORBIDDEN: Record<string, string[]> = {
  'shared/': ['functions/', 'addin/', 'local/'],
  'functions/': ['addin/', 'local/'],
  'addin/': ['functions/', 'local/'],
};

function violations(all: readonly ImportEdge[]): string[] {
  return all
    .filter((e) => {
      if (e.to === undefined) return false;
      const rule = Object.entries(FORBIDDEN).find(([from]) => e.from.startsWith(from));
      return rule !== undefined && rule[1].some((target) => e.to!.startsWith(target));
    })
    .map((e) => `${e.from} imports ${e.specifier}`);
}

describe('imports', () => {
  it('reads the tree: every folder has files, and known arrows are seen', () => {
    for (const folder of FOLDERS) expect(files.some((f) => f.startsWith(`${folder}/`))).toBe(true);
    // local/start.ts starts the task-pane server: the arrow from local/ to addin/ is there and allowed.
    expect(edges).toContainEqual(
      expect.objectContaining({ from: 'local/start.ts', to: 'addin/scripts/serve.ts', typeOnly: false }),
    );
    expect(edges).toContainEqual(
      expect.objectContaining({ from: 'local/scheduler.ts', to: 'functions/src/timerJob.ts', typeOnly: true }),
    );
  });

  it('functions/ and addin/ never import local/ or each other, and shared/ imports neither', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('has no import cycle in shared/, functions/, addin/ or local/, counting type-only imports', () => {
    expect(importCycles(files, edges, true).map((c) => c.join(' → '))).toEqual([]);
  });

  describe('the checks can fail', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-imports-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };

    it('finds a cycle through a type-only import, a re-export and a dynamic import', () => {
      write('functions/src/timers.ts', "import { job } from './functions/job';\nexport const timers = [job];\n");
      write('functions/src/functions/job.ts', "import type { Job } from '../kinds';\nexport const job: Job = {};\n");
      write('functions/src/kinds.ts', "export type { Job } from './kinds/job';\n");
      write('functions/src/kinds/job.ts', "export type Job = typeof import('../timers').timers;\n");
      write('functions/src/alone.ts', "import path from 'node:path';\nexport const p = path.sep;\n");
      const fixture = sourceFiles(['functions'], dir);
      const fixtureEdges = fixture.flatMap((f) => importsOf(f, dir));
      expect(importCycles(fixture, fixtureEdges, true)).toEqual([
        [
          'functions/src/functions/job.ts',
          'functions/src/kinds.ts',
          'functions/src/kinds/job.ts',
          'functions/src/timers.ts',
          'functions/src/functions/job.ts',
        ],
      ]);
      // Without type-only imports this cycle is not one: job.ts needs kinds.ts only for a type.
      expect(importCycles(fixture, fixtureEdges, false)).toEqual([]);
    });

    it('names a back end file that imports the local launcher or the add-in', () => {
      write(
        'functions/src/bad.ts',
        "import { x } from '../../local/start';\nimport '../../addin/src/App';\nexport const y = x;\n",
      );
      write('local/start.ts', 'export const x = 1;\n');
      write('addin/src/App.tsx', 'export const App = 1;\n');
      const fixtureEdges = sourceFiles(['functions', 'local', 'addin'], dir).flatMap((f) => importsOf(f, dir));
      expect(violations(fixtureEdges)).toEqual([
        'functions/src/bad.ts imports ../../local/start',
        'functions/src/bad.ts imports ../../addin/src/App',
      ]);
    });
  });
});
