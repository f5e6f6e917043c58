// The selected row's history in the pane: every version with who and when, the cells changed, approvals, rejections
// and the reasons given.
import { Button, Caption1, Label } from '@fluentui/react-components';
import type { RowHistory as History } from '../flows/rowHistory';
import { useStyles } from './styles';

export function RowHistory({ history, onClose }: { history: History; onClose: () => void }): React.JSX.Element {
  const s = useStyles();
  return (
    <section aria-label="Row history" data-testid="row-history" className={s.card}>
      <Label size="small" weight="semibold">
        History of {history.title} {history.key}
      </Label>
      {history.lines.length === 0 ? (
        <Caption1>The server has no version of this row yet: it was never published.</Caption1>
      ) : (
        <ol className={s.list}>
          {history.lines.map((l) => (
            <li key={l.version} className={s.item} data-testid={`history-${l.version}`}>
              <strong>{l.what}</strong> by {l.by}, {l.at.slice(0, 16).replace('T', ' ')} UTC
              {l.changes.length > 0 ? <div>{l.changes.join('; ')}</div> : null}
              {l.reason !== undefined ? <div>Reason: {l.reason}</div> : null}
            </li>
          ))}
        </ol>
      )}
      <div className={s.actions}>
        <Button size="small" onClick={onClose} data-testid="row-history-close">
          Close
        </Button>
      </div>
    </section>
  );
}
