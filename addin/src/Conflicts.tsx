// Conflict cards after publish or pull: the cells that differ, mine against theirs, and the choice of which to keep.
import {
  Button,
  Label,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { resolveConflict, type Conflict } from '../flows/conflicts';
import { plural } from '../../shared/text';
import type { WorkbookAdapter } from '../excel/workbookAdapter';
import type { PaneMessage } from './message';
import { errorText, type Place } from './pane';
import { useStyles } from './styles';

export interface ConflictsProps {
  workbook: WorkbookAdapter;
  conflicts: Conflict[];
  /** Called with the conflict once it is resolved, so the card goes. */
  onResolved: (c: Conflict) => void;
  setMsg: (m: PaneMessage) => void;
  go: (p: Place) => void;
}

export function Conflicts({ workbook, conflicts, onResolved, setMsg, go }: ConflictsProps): React.JSX.Element | null {
  const s = useStyles();
  if (conflicts.length === 0) return null;

  async function resolve(c: Conflict, choice: 'mine' | 'theirs'): Promise<void> {
    try {
      await resolveConflict(workbook, c, choice);
      onResolved(c);
      setMsg({
        intent: 'success',
        title: choice === 'mine' ? 'Kept mine' : 'Took theirs',
        text:
          choice === 'mine'
            ? `${c.key} will overwrite the server on the next publish.`
            : `${c.key} now shows the server's version.`,
      });
    } catch (e) {
      setMsg({ intent: 'error', title: 'Could not resolve', text: errorText(e) });
    }
  }

  return (
    <section aria-label="Conflicts" data-testid="conflicts" className={s.stack}>
      <Label size="small" weight="semibold">
        {plural(conflicts.length, 'conflict')}: choose which version to keep
      </Label>
      {conflicts.map((c) => (
        <div key={`${c.table}|${c.key}`} className={s.card} data-testid={`conflict-${c.key}`}>
          <Link
            as="button"
            className={s.address}
            onClick={() =>
              go({ table: c.table, row: c.row, column: c.cells[0]?.column ?? '', address: c.address, message: '' })
            }
          >
            {c.table} {c.key} · {c.address}
          </Link>
          <Table size="extra-small" aria-label={`Conflict on ${c.key}`} className={s.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Column</TableHeaderCell>
                <TableHeaderCell>Mine</TableHeaderCell>
                <TableHeaderCell>Theirs</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {c.cells.map((cell) => (
                <TableRow key={cell.field}>
                  <TableCell>{cell.column}</TableCell>
                  <TableCell className={s.mine}>{String(cell.mine)}</TableCell>
                  <TableCell className={s.theirs}>{String(cell.theirs)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <div className={s.actions}>
            <Button size="small" onClick={() => void resolve(c, 'mine')} data-testid={`keep-mine-${c.key}`}>
              Keep mine
            </Button>
            <Button
              size="small"
              appearance="primary"
              onClick={() => void resolve(c, 'theirs')}
              data-testid={`take-theirs-${c.key}`}
            >
              Take theirs
            </Button>
          </div>
        </div>
      ))}
    </section>
  );
}
