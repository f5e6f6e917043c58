// A small SVG bar chart for the pane: groups of bars (one per series) on one value axis, zero line included, no
// chart library. Every bar carries its value (data-value, and a tooltip in words).
import { tokens } from '@fluentui/react-components';

export interface BarGroup {
  /** Stable id for test ids, e.g. the measure's name. */
  id: string;
  label: string;
  /** One value per series, in the series' order. */
  values: readonly number[];
}

export interface BarChartProps {
  groups: readonly BarGroup[];
  /** Series names in order, e.g. ["2016-11", "2016-12"]; shown as the legend. */
  series: readonly string[];
  format: (value: number) => string;
  title: string;
  testId?: string;
}

const SERIES_COLOURS = [tokens.colorNeutralForeground3, tokens.colorBrandBackground];
const WIDTH = 340;
const PLOT_TOP = 22;
const PLOT_HEIGHT = 110;
const LABEL_HEIGHT = 28;

/** The y of a value on a scale from `min` (≤ 0) to `max` (≥ 0), both ends drawn. */
function scale(min: number, max: number): (v: number) => number {
  const span = max - min === 0 ? 1 : max - min;
  return (v) => PLOT_TOP + ((max - v) / span) * PLOT_HEIGHT;
}

export function BarChart({ groups, series, format, title, testId }: BarChartProps): React.JSX.Element {
  const all = groups.flatMap((g) => g.values);
  const y = scale(Math.min(0, ...all), Math.max(0, ...all));
  const slot = WIDTH / Math.max(1, groups.length);
  const bar = Math.min(22, (slot - 8) / Math.max(1, series.length));
  const height = PLOT_TOP + PLOT_HEIGHT + LABEL_HEIGHT;
  return (
    <svg
      role="img"
      aria-label={title}
      data-testid={testId}
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      style={{ display: 'block', fontFamily: tokens.fontFamilyBase }}
    >
      <title>{title}</title>
      {series.map((name, i) => (
        <g key={name}>
          <rect x={i * 90} y={4} width={10} height={10} fill={SERIES_COLOURS[i % SERIES_COLOURS.length]} />
          <text x={i * 90 + 14} y={13} fontSize={10} fill={tokens.colorNeutralForeground2}>
            {name}
          </text>
        </g>
      ))}
      <line x1={0} x2={WIDTH} y1={y(0)} y2={y(0)} stroke={tokens.colorNeutralStroke1} />
      {groups.map((g, gi) => {
        const left = gi * slot + (slot - bar * g.values.length) / 2;
        return (
          <g key={g.id}>
            {g.values.map((v, si) => {
              const top = Math.min(y(v), y(0));
              return (
                <rect
                  key={series[si] ?? si}
                  data-testid={testId === undefined ? undefined : `${testId}-${g.id}-${si}`}
                  data-value={v}
                  x={left + si * bar}
                  y={top}
                  width={bar - 2}
                  height={Math.max(v === 0 ? 0 : 1, Math.abs(y(v) - y(0)))}
                  fill={SERIES_COLOURS[si % SERIES_COLOURS.length]}
                >
                  <title>{`${g.label}, ${series[si] ?? ''}: ${format(v)}`}</title>
                </rect>
              );
            })}
            <text
              x={gi * slot + slot / 2}
              y={PLOT_TOP + PLOT_HEIGHT + 14}
              fontSize={9}
              textAnchor="middle"
              fill={tokens.colorNeutralForeground2}
            >
              {g.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
