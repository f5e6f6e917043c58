// Checks that the in-page Excel double supports every Office.js call the adapter makes, by running the adapter on it in a VM.
import { createOfficeWorkbook } from '../../../addin/excel/officeWorkbook';
import { DATE_FORMAT, TEXT_FORMAT } from '../../../addin/excel/workbookAdapter';
import { loadExcelDouble } from '../support/excelDouble';

describe('excel-double.js', () => {
  it('runs every adapter operation', async () => {
    const w = loadExcelDouble();
    w.__excelDouble.addSheet('Sheet1');
    const wb = createOfficeWorkbook({ excel: w.Excel, notesSupported: () => true });
    const spec = {
      sheet: 'Payments',
      table: 'Payments',
      columns: [
        { name: 'paymentId', numberFormat: TEXT_FORMAT },
        { name: 'receivedOn', numberFormat: DATE_FORMAT },
        { name: 'note' },
      ],
    };
    expect((await wb.ensureTable(spec)).created).toBe(true);
    const rows = [
      ['=P1', 45000, '-not a formula'],
      ['00042', 45001, 'plain'],
    ];
    await wb.writeRows('Payments', rows, 'replace');
    await wb.writeRows('Payments', [['P3', 45002, "'q"]], 'append');
    expect((await wb.readTable('Payments')).rows).toEqual([...rows, ['P3', 45002, "'q"]]);
    await wb.markCells('Payments', [{ row: 0, column: 'note', fill: '#FFC7CE', note: 'check' }]);
    await wb.selectCell('Payments', 0, 'note');
    await wb.writeResultsTable(
      { sheet: 'Figures', table: 'Stats', columns: [{ name: 'period' }, { name: 'collected' }] },
      [['2016-11', 5]],
    );
    await wb.addChart({ table: 'Stats', kind: 'column', title: 'Collected', name: 'c1' });
    expect(await wb.listSheets()).toEqual(['Sheet1', 'Payments', 'Figures']);
    expect(w.__excelDouble.state.sheets.get('Figures')?.charts.map((c) => c.name)).toEqual(['c1']);
    expect(w.__excelDouble.state.syncs).toBe(wb.stats.syncs);
    await expect(wb.readTable('Nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
