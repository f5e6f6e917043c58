// Excel tables, charts and their drawings for the streamed report workbook: OOXML parts exceljs's streaming writer does
// not make, added to the same zip stream while it is written (no second pass over the file, no workbook in memory).
//
// exceljs 4.4's WorkbookWriter appends every part to an archiver zip (`book.zip`) and writes [Content_Types].xml last;
// each WorksheetWriter writes its relationships through `_sheetRelsWriter` and closes with `_writeCloseWorksheet`.
// Those three are the hooks used here; the report tests open the result in LibreOffice and read the parts back, so a
// change in them fails a test instead of a file.
import type ExcelJS from 'exceljs';
import { columnLetter } from '../../../shared/excel';

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_CHART = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
const NS_A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const NS_XDR = 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';
const REL_TABLE = `${NS_REL}/table`;
const REL_DRAWING = `${NS_REL}/drawing`;
const REL_CHART = `${NS_REL}/chart`;
const CT_TABLE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml';
const CT_DRAWING = 'application/vnd.openxmlformats-officedocument.drawing+xml';
const CT_CHART = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';

export function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `'Sheet name'!$A$1:$B$2`, quotes doubled as A1 references require. */
export function absRange(sheet: string, col1: number, row1: number, col2 = col1, row2 = row1): string {
  const a = `$${columnLetter(col1)}$${row1}`;
  const b = `$${columnLetter(col2)}$${row2}`;
  return `'${sheet.replace(/'/g, "''")}'!${a === b ? a : `${a}:${b}`}`;
}

/** An Excel table over a header row and its data rows (no totals row: the sheet's own SUM row sits below it). */
export interface TableSpec {
  /** Unique in the workbook, letters, digits and underscores. */
  name: string;
  headers: string[];
  /** 1-based row of the header; 0-based first column. */
  headerRow: number;
  firstCol: number;
  /** Last data row (≥ headerRow + 1: a table needs a data row, an empty one is left blank). */
  lastRow: number;
}

export interface ChartSeries {
  /** Absolute reference of the cell holding the series name. */
  name: string;
  /** Absolute reference of the values. */
  values: string;
}

export interface ChartSpec {
  title: string;
  /** column: clustered columns; stackedColumn / stackedBar: stacked; line: lines with markers. */
  type: 'column' | 'stackedColumn' | 'stackedBar' | 'line';
  /** Absolute reference of the category labels. */
  categories: string;
  series: ChartSeries[];
  /** Number format of the value axis (money axis: `#,##0`). */
  valueFormat: string;
  /** Where it sits: 0-based column and row of the top-left and bottom-right corners. */
  from: { col: number; row: number };
  to: { col: number; row: number };
}

/** The parts of one workbook: counters and content types, shared by all its sheets. */
export class PackageParts {
  private tables = 0;
  private drawings = 0;
  private charts = 0;
  private readonly overrides: string[] = [];
  private readonly zip: { append(data: string, opts: { name: string }): void } | undefined;

  constructor(book: ExcelJS.Workbook) {
    const zip = (book as unknown as { zip?: { append(data: unknown, opts: { name: string }): unknown } }).zip;
    if (zip === undefined || typeof zip.append !== 'function') {
      this.zip = undefined;
      return;
    }
    const append = zip.append.bind(zip);
    // [Content_Types].xml is written by commit(), after every sheet: the parts' overrides are known by then.
    zip.append = (data: unknown, opts: { name: string }) => {
      if (opts.name === '[Content_Types].xml' && typeof data === 'string')
        return append(data.replace('</Types>', `${this.overrides.join('')}</Types>`), opts);
      return append(data, opts);
    };
    this.zip = { append: (data, opts) => append(data, opts) };
  }

  /** Whether parts can be added: only the streaming writer has the zip they are written into. */
  get streaming(): boolean {
    return this.zip !== undefined;
  }

  private add(name: string, contentType: string, xml: string): void {
    this.zip!.append(xml, { name });
    this.overrides.push(`<Override PartName="/${name}" ContentType="${contentType}"/>`);
  }

  /**
   * Adds tables and charts to a streamed worksheet before it is committed: writes their parts and relationships and
   * makes the sheet's closing tag carry `<drawing>` and `<tableParts>` (their place in CT_Worksheet's order).
   */
  attach(ws: ExcelJS.Worksheet, tables: TableSpec[], charts: ChartSpec[]): void {
    if (this.zip === undefined || (tables.length === 0 && charts.length === 0)) return;
    const writer = ws as unknown as {
      _sheetRelsWriter: { addRelationship(rel: { Type: string; Target: string }): string };
      _writeCloseWorksheet(): void;
      _write(text: string): void;
    };
    let tail = '';
    if (charts.length > 0) {
      const drawing = ++this.drawings;
      const rels: string[] = [];
      const anchors = charts.map((c, i) => {
        const n = ++this.charts;
        this.add(`xl/charts/chart${n}.xml`, CT_CHART, chartXml(c));
        rels.push(`<Relationship Id="rId${i + 1}" Type="${REL_CHART}" Target="../charts/chart${n}.xml"/>`);
        return anchorXml(c, i + 1, `rId${i + 1}`);
      });
      this.add(
        `xl/drawings/drawing${drawing}.xml`,
        CT_DRAWING,
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="${NS_XDR}" xmlns:a="${NS_A}">${anchors.join('')}</xdr:wsDr>`,
      );
      this.zip.append(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
        { name: `xl/drawings/_rels/drawing${drawing}.xml.rels` },
      );
      const rId = writer._sheetRelsWriter.addRelationship({
        Type: REL_DRAWING,
        Target: `../drawings/drawing${drawing}.xml`,
      });
      tail += `<drawing r:id="${rId}"/>`;
    }
    if (tables.length > 0) {
      const ids = tables.map((t) => {
        const n = ++this.tables;
        this.add(`xl/tables/table${n}.xml`, CT_TABLE, tableXml(t, n));
        return writer._sheetRelsWriter.addRelationship({ Type: REL_TABLE, Target: `../tables/table${n}.xml` });
      });
      tail += `<tableParts count="${ids.length}">${ids.map((id) => `<tablePart r:id="${id}"/>`).join('')}</tableParts>`;
    }
    const close = writer._writeCloseWorksheet.bind(writer);
    writer._writeCloseWorksheet = () => {
      writer._write(tail);
      close();
    };
  }
}

function tableXml(t: TableSpec, id: number): string {
  const lastCol = t.firstCol + t.headers.length - 1;
  const ref = `${columnLetter(t.firstCol)}${t.headerRow}:${columnLetter(lastCol)}${t.lastRow}`;
  const cols = t.headers.map((h, i) => `<tableColumn id="${i + 1}" name="${xmlText(h)}"/>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<table xmlns="${NS_MAIN}" id="${id}" name="${t.name}" displayName="${t.name}" ref="${ref}" totalsRowShown="0">` +
    `<autoFilter ref="${ref}"/><tableColumns count="${t.headers.length}">${cols}</tableColumns>` +
    `<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`
  );
}

function anchorXml(c: ChartSpec, id: number, rId: string): string {
  const corner = (p: { col: number; row: number }) =>
    `<xdr:col>${p.col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${p.row}</xdr:row><xdr:rowOff>0</xdr:rowOff>`;
  return (
    `<xdr:twoCellAnchor editAs="oneCell"><xdr:from>${corner(c.from)}</xdr:from><xdr:to>${corner(c.to)}</xdr:to>` +
    `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${id + 1}" name="${xmlText(c.title)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>` +
    `<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>` +
    `<a:graphic><a:graphicData uri="${NS_CHART}"><c:chart xmlns:c="${NS_CHART}" xmlns:r="${NS_REL}" r:id="${rId}"/></a:graphicData></a:graphic>` +
    `</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>`
  );
}

function richText(text: string): string {
  return `<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr b="1" sz="1200"/></a:pPr><a:r><a:rPr lang="en-US" b="1" sz="1200"/><a:t>${xmlText(text)}</a:t></a:r></a:p></c:rich></c:tx>`;
}

/** A chart part (CT_ChartSpace) whose series read the sheet's cells through formulas; Excel and LibreOffice fill their caches. */
export function chartXml(c: ChartSpec): string {
  const line = c.type === 'line';
  const series = c.series
    .map(
      (s, i) =>
        `<c:ser><c:idx val="${i}"/><c:order val="${i}"/><c:tx><c:strRef><c:f>${xmlText(s.name)}</c:f></c:strRef></c:tx>` +
        (line ? '<c:marker><c:symbol val="circle"/><c:size val="6"/></c:marker>' : '<c:invertIfNegative val="0"/>') +
        `<c:cat><c:strRef><c:f>${xmlText(c.categories)}</c:f></c:strRef></c:cat>` +
        `<c:val><c:numRef><c:f>${xmlText(s.values)}</c:f></c:numRef></c:val>` +
        (line ? '<c:smooth val="0"/>' : '') +
        `</c:ser>`,
    )
    .join('');
  const stacked = c.type === 'stackedColumn' || c.type === 'stackedBar';
  const bar = c.type === 'stackedBar';
  const plot = line
    ? `<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>${series}<c:marker val="1"/><c:axId val="1001"/><c:axId val="1002"/></c:lineChart>`
    : `<c:barChart><c:barDir val="${bar ? 'bar' : 'col'}"/><c:grouping val="${stacked ? 'stacked' : 'clustered'}"/><c:varyColors val="0"/>${series}` +
      `<c:gapWidth val="80"/>${stacked ? '<c:overlap val="100"/>' : ''}<c:axId val="1001"/><c:axId val="1002"/></c:barChart>`;
  // A horizontal bar chart lists its first category at the bottom unless the category axis runs max to min.
  const catAx =
    `<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="${bar ? 'maxMin' : 'minMax'}"/></c:scaling><c:delete val="0"/>` +
    `<c:axPos val="${bar ? 'l' : 'b'}"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>` +
    `<c:tickLblPos val="nextTo"/><c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`;
  const valAx =
    `<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>` +
    `<c:axPos val="${bar ? 'b' : 'l'}"/><c:majorGridlines/><c:numFmt formatCode="${xmlText(c.valueFormat)}" sourceLinked="0"/>` +
    `<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="1001"/>` +
    `<c:crosses val="${bar ? 'max' : 'autoZero'}"/><c:crossBetween val="between"/></c:valAx>`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<c:chartSpace xmlns:c="${NS_CHART}" xmlns:a="${NS_A}" xmlns:r="${NS_REL}"><c:roundedCorners val="0"/>` +
    `<c:chart><c:title>${richText(c.title)}<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>` +
    `<c:plotArea><c:layout/>${plot}${catAx}${valAx}</c:plotArea>` +
    `<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>`
  );
}
