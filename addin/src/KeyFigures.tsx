// The Figures tab's key figures: a period beside the previous one as a small table, and the money figures as bars
// on one axis (the contract count stays in the table: a count does not share an axis with money).
import { Caption1 } from '@fluentui/react-components';
import type { KeyFigure, KeyFigures as KeyFiguresData } from '../flows/figures';
import { BarChart } from './BarChart';
import { useStyles } from './styles';

/** Cents as the pane shows money: 1234567 → "12,345.67". */
export function moneyText(cents: number): string {
  return (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function valueText(f: KeyFigure, v: number): string {
  return f.unit === 'money' ? moneyText(v) : v.toLocaleString('en-US');
}

/** The change in words: "+12.50", "−3", "no change". */
function changeText(f: KeyFigure): string {
  const d = f.current - f.previous;
  if (d === 0) return 'no change';
  return `${d > 0 ? '+' : '−'}${valueText(f, Math.abs(d))}`;
}

export function KeyFigures({ data }: { data: KeyFiguresData }): React.JSX.Element {
  const s = useStyles();
  const { current, previous, figures } = data;
  const money = figures.filter((f) => f.unit === 'money');
  return (
    <section aria-label="Key figures" className={s.stack} data-testid="key-figures">
      <table className={s.table} style={{ fontSize: 12, borderCollapse: 'collapse', width: '100%' }}>
        <thead>
          <tr>
            <th style={{ textAlign: 'left' }}>Key figures</th>
            <th style={{ textAlign: 'right' }} data-testid="key-current-label">
              {current.label}
            </th>
            <th style={{ textAlign: 'right' }} data-testid="key-previous-label">
              {previous.label}
            </th>
            <th style={{ textAlign: 'right' }}>Change</th>
          </tr>
        </thead>
        <tbody>
          {figures.map((f) => (
            <tr key={f.measure} data-testid={`key-${f.measure}`}>
              <td>{f.label}</td>
              <td style={{ textAlign: 'right' }} data-testid={`key-${f.measure}-current`}>
                {valueText(f, f.current)}
              </td>
              <td style={{ textAlign: 'right' }} data-testid={`key-${f.measure}-previous`}>
                {valueText(f, f.previous)}
              </td>
              <td style={{ textAlign: 'right' }}>{changeText(f)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <BarChart
        testId="key-chart"
        title={`Money figures, ${previous.label} and ${current.label}`}
        series={[previous.label, current.label]}
        groups={money.map((f) => ({
          id: f.measure,
          label: f.label.replace(' receivables', ''),
          values: [f.previous, f.current],
        }))}
        format={moneyText}
      />
      <Caption1 className={s.hint}>
        Amounts in {data.currency}
        {data.currencies.length > 1
          ? ` (the figures also hold ${data.currencies.filter((c) => c !== data.currency).join(', ')}: each currency has its own rows on the Statistics sheet)`
          : ''}
        . Overdue receivables as of each period&apos;s last day; the other figures are the period&apos;s approved
        records.
      </Caption1>
    </section>
  );
}
