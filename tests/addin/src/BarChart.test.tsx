// Tests addin/src/BarChart.tsx rendered to markup: bars on one axis from the zero line, heights in proportion to the
// values, a negative value below the line, every bar carrying its value.
import { renderToStaticMarkup } from 'react-dom/server';
import { BarChart } from '../../../addin/src/BarChart';
import { moneyText } from '../../../addin/src/KeyFigures';

/** The bars' test id, value, y and height, in document order. */
function bars(markup: string): { id: string; value: number; y: number; height: number }[] {
  return [
    ...markup.matchAll(
      /<rect data-testid="([^"]+)" data-value="([^"]+)" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)"/g,
    ),
  ].map((m) => ({ id: m[1] as string, value: Number(m[2]), y: Number(m[3]), height: Number(m[4]) }));
}

describe('BarChart', () => {
  it('draws each value as a bar from the zero line, in proportion, previous then current', () => {
    const markup = renderToStaticMarkup(
      <BarChart
        testId="c"
        title="Money"
        series={['2016-11', '2016-12']}
        groups={[
          { id: 'invoiced', label: 'Invoiced', values: [10_000, 5_000] },
          { id: 'collected', label: 'Collected', values: [0, 2_500] },
        ]}
        format={moneyText}
      />,
    );
    const b = bars(markup);
    expect(b.map((x) => [x.id, x.value])).toEqual([
      ['c-invoiced-0', 10000],
      ['c-invoiced-1', 5000],
      ['c-collected-0', 0],
      ['c-collected-1', 2500],
    ]);
    // The largest value spans the plot (110 px); the others in proportion; zero draws no bar.
    expect(b.map((x) => x.height)).toEqual([110, 55, 0, 27.5]);
    // All stand on one zero line: top + height is the same y.
    expect(new Set(b.map((x) => x.y + x.height))).toEqual(new Set([132]));
    expect(markup).toContain('<title>Invoiced, 2016-11: 100.00</title>');
  });

  it('puts a negative value below the zero line', () => {
    const b = bars(
      renderToStaticMarkup(
        <BarChart
          testId="c"
          title="t"
          series={['a']}
          groups={[
            { id: 'up', label: 'Up', values: [300] },
            { id: 'down', label: 'Down', values: [-100] },
          ]}
          format={String}
        />,
      ),
    );
    const [up, down] = b;
    // 400 units over 110 px: the zero line at 22 + 300/400 × 110 = 104.5.
    expect(up).toMatchObject({ y: 22, height: 82.5 });
    expect(down).toMatchObject({ y: 104.5, height: 27.5 });
  });

  it('writes money with thousands separators and two decimals', () => {
    expect(moneyText(1234567)).toBe('12,345.67');
    expect(moneyText(-5)).toBe('-0.05');
  });
});
