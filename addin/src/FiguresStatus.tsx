// The pane's status line for the LEDGERDESK formulas: shown only while they hold last good values the API could not
// refresh ("Figures stale since …").
import React, { useEffect, useState } from 'react';
import { Caption1, tokens } from '@fluentui/react-components';
import type { FigureEngine, FiguresStatus } from './functions/engine';
import { figureEngine } from './functions/functions';

const pad = (n: number): string => String(n).padStart(2, '0');

/** An ISO time as the user's local date and minute, e.g. 2026-12-07 19:42. */
export function localMinute(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function staleText(status: FiguresStatus): string | null {
  if (status.state === 'fresh') return null;
  return `Figures stale since ${localMinute(status.since)}: the API cannot be reached, so LEDGERDESK formulas show their last values.`;
}

export function FiguresStatusLine({ engine = figureEngine() }: { engine?: FigureEngine }): React.JSX.Element | null {
  const [status, setStatus] = useState<FiguresStatus>(() => engine.status());
  useEffect(() => {
    const stop = engine.onStatus(setStatus);
    return () => {
      stop();
    };
  }, [engine]);
  const text = staleText(status);
  if (text === null) return null;
  return (
    <Caption1 data-testid="figures-stale" style={{ color: tokens.colorPaletteDarkOrangeForeground2 }}>
      {text}
    </Caption1>
  );
}
