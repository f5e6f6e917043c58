// The list of cells a command points at (errors, findings, rows not published): click one to select it in Excel.
import { Caption1, Label, Link } from '@fluentui/react-components';
import type { Place } from './pane';
import { useStyles } from './styles';

const SHOWN = 500;

export function Places({
  list,
  label,
  go,
}: {
  list: Place[];
  label: string;
  go: (p: Place) => void;
}): React.JSX.Element | null {
  const s = useStyles();
  if (list.length === 0) return null;
  return (
    <section aria-label="Cells to look at" className={s.stack}>
      <Label size="small" weight="semibold">
        {label} ({list.length > SHOWN ? `first ${SHOWN} of ${list.length}` : list.length}) · click to go to the cell
      </Label>
      <ul className={s.list} data-testid="errors" aria-label="Errors">
        {list.slice(0, SHOWN).map((p, i) => (
          <li key={i} className={s.item}>
            <Link as="button" className={s.address} onClick={() => go(p)}>
              {p.address}
            </Link>{' '}
            <Caption1>{p.message}</Caption1>
          </li>
        ))}
      </ul>
    </section>
  );
}
