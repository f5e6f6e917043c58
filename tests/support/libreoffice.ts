// Test harness: opens .xlsx files in headless LibreOffice (private profile, recalculation forced) and reads every sheet back as CSV.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** One sheet as LibreOffice shows it: cell texts as displayed, and which cells hold text (not numbers or dates). */
export interface CsvSheet {
  /** Displayed cell contents ("Save cell contents as shown"): money as `1,234.50`, dates as `2016-11-30`. */
  rows: string[][];
  /** True where the cell holds text. LibreOffice quotes exactly the text cells, so numbers, dates and formula results are false. */
  text: boolean[][];
}

export interface OpenedWorkbook {
  /** Sheet names in workbook order. */
  sheetNames: string[];
  sheets: Map<string, CsvSheet>;
}

export interface LibreOfficeRun {
  /** Keyed by the path given to `openWithLibreOffice`. */
  workbooks: Map<string, OpenedWorkbook>;
  /** Wall-clock time of the one soffice process. */
  elapsedMs: number;
}

export class LibreOfficeError extends Error {
  override name = 'LibreOfficeError';
}

const SOFFICE = process.env.SOFFICE ?? (existsSync('/usr/bin/soffice') ? '/usr/bin/soffice' : 'soffice');

// OOXMLRecalcMode 0 = "always recalculate": without it LibreOffice shows the cached <v> results, and a test of
// formula totals would only read back what the writer itself claimed.
const REGISTRY = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

// Tokens of the CSV filter (checked on LibreOffice 7.4): 1 tab separator (so "1,234.50" needs no quotes), 2 '"' quotes,
// 3 UTF-8, 4 start row, 5 no column types, 6 default language, 7 quote all text cells (how text is told from numbers),
// 8 detect special numbers (import only), 9 save cell contents as shown (formats applied), 10 formulas exported as
// their values, 11 no space trimming, 12 = -1: every sheet into `<name>-<Sheet>.csv` (LibreOffice 7.2+).
const CSV_FILTER = 'csv:Text - txt - csv (StarCalc):9,34,UTF8,1,,0,true,false,true,false,false,-1';

function run(args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(SOFFICE, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new LibreOfficeError(`soffice failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/**
 * Opens every file in ONE soffice process (start-up dominates the cost) with a fresh private profile, so parallel
 * test workers never share a profile lock, and returns each file's sheets. Throws when a file did not load.
 */
export async function openWithLibreOffice(files: readonly string[], timeoutMs = 120_000): Promise<LibreOfficeRun> {
  // Outputs are named after the input's base name, so two inputs with the same base name would overwrite each other.
  const bases = files.map((f) => path.basename(f, path.extname(f)));
  if (new Set(bases).size !== bases.length)
    throw new LibreOfficeError(`file base names must be unique: ${bases.join(', ')}`);
  const work = await mkdtemp(path.join(tmpdir(), 'ld-soffice-'));
  try {
    const profile = path.join(work, 'profile');
    const outDir = path.join(work, 'out');
    await mkdir(path.join(profile, 'user'), { recursive: true });
    await mkdir(outDir);
    await writeFile(path.join(profile, 'user', 'registrymodifications.xcu'), REGISTRY);
    const started = performance.now();
    const { stdout, stderr } = await run(
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--norestore',
        '--nolockcheck',
        '--convert-to',
        CSV_FILTER,
        '--outdir',
        outDir,
        ...files.map((f) => path.resolve(f)),
      ],
      timeoutMs,
    );
    const elapsedMs = performance.now() - started;
    // stdout names each sheet's CSV: "Writing sheet Summary -> /tmp/.../report-Summary.csv", in workbook order.
    const written = [...stdout.matchAll(/^Writing sheet (.*) -> (.*)$/gm)].map((m) => ({
      sheet: m[1] ?? '',
      file: m[2] ?? '',
    }));
    const sheetsOf = (file: string) => {
      const prefix = path.join(outDir, `${path.basename(file, path.extname(file))}-`);
      return written.filter((w) => w.file.startsWith(prefix) && w.file.slice(prefix.length) === `${w.sheet}.csv`);
    };
    // "Error: source file could not be loaded" is LibreOffice's only sign of a failed load: the exit code stays 0.
    const failed = files.filter((f) => sheetsOf(f).length === 0);
    if (failed.length > 0 || /^Error:/m.test(stderr)) {
      throw new LibreOfficeError(`LibreOffice could not load ${failed.join(', ') || 'a file'}:\n${stderr.trim()}`);
    }
    const workbooks = new Map<string, OpenedWorkbook>();
    for (const file of files) {
      const mine = sheetsOf(file);
      const sheets = new Map<string, CsvSheet>();
      for (const w of mine) sheets.set(w.sheet, parseCsv(await readFile(w.file, 'utf8'), '\t'));
      workbooks.set(file, { sheetNames: mine.map((w) => w.sheet), sheets });
    }
    return { workbooks, elapsedMs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** RFC 4180-style parsing with a chosen separator; keeps whether each field was quoted. */
export function parseCsv(input: string, separator = ','): CsvSheet {
  const rows: string[][] = [];
  const text: boolean[][] = [];
  let row: string[] = [];
  let quotedRow: boolean[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let fieldStarted = false;
  const endField = () => {
    row.push(field);
    quotedRow.push(quoted);
    field = '';
    quoted = false;
    fieldStarted = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    text.push(quotedRow);
    row = [];
    quotedRow = [];
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (inQuotes) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += ch;
    } else if (ch === '"' && !fieldStarted) {
      inQuotes = true;
      quoted = true;
      fieldStarted = true;
    } else if (ch === separator) endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      endRow();
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (inQuotes) throw new LibreOfficeError('CSV ends inside a quoted field');
  if (field !== '' || quoted || row.length > 0) endRow();
  return { rows, text };
}

/** The sheet of `name`, or a clear failure listing the sheets there are. */
export function sheet(workbook: OpenedWorkbook, name: string): CsvSheet {
  const s = workbook.sheets.get(name);
  if (!s) throw new LibreOfficeError(`no sheet "${name}"; sheets: ${workbook.sheetNames.join(', ')}`);
  return s;
}

/**
 * Cents from a money cell as LibreOffice displays it with the report's format `#,##0.00;-#,##0.00;"–"`: "1,234.50",
 * "-3.00", and a dash for zero. Strict: anything else (a currency code, three decimals, a bare "0") is an error, so a
 * lost format fails a test.
 */
export function centsFromDisplay(display: string): number {
  if (display === '–') return 0;
  const m = /^(-?)(\d{1,3}(?:,\d{3})*)\.(\d{2})$/.exec(display);
  if (!m) throw new LibreOfficeError(`"${display}" is not an amount formatted as #,##0.00 (zero as a dash)`);
  const cents = Number(`${m[2]?.replace(/,/g, '')}${m[3]}`);
  if (cents === 0) throw new LibreOfficeError(`"${display}": zero must show as a dash`);
  return m[1] === '-' ? -cents : cents;
}

/**
 * Converts every file with ONE soffice process to `format` (`pdf`, `xlsx`, …) into `outDir`, named after each input's
 * base name; returns the output paths in input order. Throws when a file did not load or an output is missing.
 */
export async function convertWithLibreOffice(
  files: readonly string[],
  format: string,
  outDir: string,
  timeoutMs = 180_000,
): Promise<string[]> {
  const work = await mkdtemp(path.join(tmpdir(), 'ld-soffice-'));
  try {
    const profile = path.join(work, 'profile');
    await mkdir(path.join(profile, 'user'), { recursive: true });
    await writeFile(path.join(profile, 'user', 'registrymodifications.xcu'), REGISTRY);
    const { stderr } = await run(
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--norestore',
        '--nolockcheck',
        '--convert-to',
        format,
        '--outdir',
        outDir,
        ...files.map((f) => path.resolve(f)),
      ],
      timeoutMs,
    );
    const ext = format.split(':')[0] ?? format;
    const outputs = files.map((f) => path.join(outDir, `${path.basename(f, path.extname(f))}.${ext}`));
    const missing = outputs.filter((o) => !existsSync(o));
    if (missing.length > 0 || /^Error:/m.test(stderr))
      throw new LibreOfficeError(`LibreOffice did not write ${missing.join(', ') || 'a file'}:\n${stderr.trim()}`);
    return outputs;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Pages of a PDF: its page objects (`/Type /Page`, not `/Pages`), as LibreOffice writes them (no object streams). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/** Renders page `page` (1-based) of a PDF as `<outBase>.png` with poppler's pdftoppm (tests/setup/system-deps.js). */
export async function renderPdfPage(pdfFile: string, page: number, outBase: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    execFile(
      'pdftoppm',
      ['-png', '-r', '80', '-singlefile', '-f', String(page), '-l', String(page), pdfFile, outBase],
      { timeout: 60_000 },
      (err, _stdout, stderr) => (err ? reject(new LibreOfficeError(`pdftoppm failed: ${stderr}`)) : resolve()),
    );
  });
  return `${outBase}.png`;
}
