// Sync tab, issue #18 part 3: the pull's filter inputs (region, salesperson, customer, contract, period); the values go to pull() as PullFilters, which sends them to the API (flows/pullFilters.ts).
import { Input, makeStyles, tokens } from '@fluentui/react-components';
import type { PullFilters as Filters } from '../flows/pullFilters';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr))', gap: tokens.spacingHorizontalS },
  fill: { minWidth: 0, width: '100%' },
});

export interface PullFiltersProps {
  value: Filters;
  onChange: (next: Filters) => void;
}

const INPUTS: { field: keyof Filters; label: string; placeholder: string }[] = [
  { field: 'region', label: 'Region', placeholder: 'Region' },
  { field: 'salespersonId', label: 'Salesperson', placeholder: 'Salesperson' },
  { field: 'customerId', label: 'Customer', placeholder: 'Customer' },
  { field: 'contractId', label: 'Contract', placeholder: 'Contract' },
  { field: 'period', label: 'Period', placeholder: '2016-Q4' },
];

/** The five filter inputs of "Pull from the server"; empty inputs filter nothing. */
export function PullFilters({ value, onChange }: PullFiltersProps): React.JSX.Element {
  const s = useStyles();
  return (
    <div className={s.grid}>
      {INPUTS.map((i) => (
        <Input
          key={i.field}
          className={s.fill}
          size="small"
          placeholder={i.placeholder}
          aria-label={i.label}
          value={value[i.field] ?? ''}
          onChange={(_, d) => onChange({ ...value, [i.field]: d.value })}
          data-testid={`pull-${i.field === 'salespersonId' ? 'salesperson' : i.field.replace('Id', '')}`}
        />
      ))}
    </div>
  );
}
