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
import { useState } from 'react';
import { resolveConflict, type Conflict, type ConflictChoice } from '../flows/conflicts';
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
  /** The per-cell picks of each conflict card (table|key → field → mine/theirs). */
  const [picks, setPicks] = useState<Record<string, Record<string, 'mine' | 'theirs'>>>({});
  if (conflicts.length === 0) return null;
  const id = (c: Conflict): string => `${c.table}|${c.key}`;
  const pick = (c: Conflict, field: string, side: 'mine' | 'theirs'): void =>
    setPicks((all) => ({ ...all, [id(c)]: { ...all[id(c)], [field]: side } }));

  async function resolve(c: Conflict, choice: ConflictChoice): Promise<void> {
    try {
      await resolveConflict(workbook, c, choice);
      onResolved(c);
      const side = (field: string) => (typeof choice === 'string' ? choice : choice[field]);
      const mine = c.cells.filter((cell) => side(cell.field) === 'mine').length;
      const theirs = c.cells.length - mine;
      setMsg({
        intent: 'success',
        title: typeof choice !== 'string' ? 'Resolved' : choice === 'mine' ? 'Kept mine' : 'Took theirs',
        text:
          typeof choice !== 'string'
            ? `${c.key}: ${plural(mine, 'cell')} kept as yours, ${plural(theirs, 'cell')} taken from the server.` +
              (mine > 0 ? ' Publish to send the row.' : '')
            : choice === 'mine'
              ? `${c.key} will overwrite the server on the next publish.`
              : `${c.key}'s conflicting cells now show the server's values.`,
      });
    } catch (e) {
      setMsg({ intent: 'error', title: 'Could not resolve', text: errorText(e) });
    }
  }

  return (
    <section aria-label="Conflicts" data-testid="conflicts" className={s.stack}>
      <Label size="small" weight="semibold">
        {plural(conflicts.length, 'conflict')}: choose mine or theirs for each cell, or for all of them
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
                <TableHeaderCell>Keep</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {c.cells.map((cell) => (
                <TableRow key={cell.field}>
                  <TableCell>{cell.column}</TableCell>
                  <TableCell className={s.mine}>{String(cell.mine)}</TableCell>
                  <TableCell className={s.theirs}>{String(cell.theirs)}</TableCell>
                  <TableCell>
                    {(['mine', 'theirs'] as const).map((side) => (
                      <Button
                        key={side}
                        size="small"
                        appearance={picks[id(c)]?.[cell.field] === side ? 'primary' : 'secondary'}
                        aria-pressed={picks[id(c)]?.[cell.field] === side}
                        onClick={() => pick(c, cell.field, side)}
                        data-testid={`pick-${side}-${c.key}-${cell.field}`}
                      >
                        {side === 'mine' ? 'Mine' : 'Theirs'}
                      </Button>
                    ))}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {c.taken.length > 0 && (
            <Label size="small" data-testid={`taken-${c.key}`}>
              Taken from the server (changed only there): {c.taken.map((t) => t.column).join(', ')}
            </Label>
          )}
          <div className={s.actions}>
            <Button
              size="small"
              appearance="primary"
              disabled={c.cells.some((cell) => picks[id(c)]?.[cell.field] === undefined)}
              onClick={() => void resolve(c, picks[id(c)] ?? {})}
              data-testid={`apply-picks-${c.key}`}
            >
              Apply my picks
            </Button>
            <Button size="small" onClick={() => void resolve(c, 'mine')} data-testid={`keep-mine-${c.key}`}>
              All mine
            </Button>
            <Button size="small" onClick={() => void resolve(c, 'theirs')} data-testid={`take-theirs-${c.key}`}>
              All theirs
            </Button>
          </div>
        </div>
      ))}
    </section>
  );
}
