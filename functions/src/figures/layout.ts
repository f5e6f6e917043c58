// The figures' storage layout check: a store whose contract index and rollups were written by code of another layout
// is rebuilt from the ledgers before any figure is served from it (rollupStore.FIGURES_LAYOUT says which layout this
// code reads). `npm start` runs it before the API takes requests; in Azure, run `npm run rollups:rebuild` once after
// deploying a version whose layout changed.

import { LEDGERS } from '../../../shared/ledgers';
import { listRowsPage } from '../store/ledgerStore';
import { FIGURES_LAYOUT, readFiguresLayout, writeFiguresLayout } from '../store/rollupStore';
import { rebuildFromLedgers } from './rebuild';

export type LayoutOutcome = 'current' | 'stamped' | 'rebuilt';

/**
 * `current` when the store's figures are in this layout; `stamped` when the store holds no ledger row (nothing to
 * misread: the layout is recorded); `rebuilt` when the index and rollups were rewritten from the approved rows.
 */
export async function ensureFiguresLayout(log: (message: string) => void = () => undefined): Promise<LayoutOutcome> {
  const layout = await readFiguresLayout();
  if (layout === FIGURES_LAYOUT) return 'current';
  let hasRows = false;
  for (const { name } of LEDGERS) {
    if ((await listRowsPage(name, '', 1, undefined)).items.length > 0) {
      hasRows = true;
      break;
    }
  }
  if (!hasRows) {
    await writeFiguresLayout();
    return 'stamped';
  }
  log(
    `The figures in this store were written in layout ${layout ?? 1}; this version reads layout ${FIGURES_LAYOUT}. ` +
      "Rebuilding the contract index and rollups from the ledgers' approved rows (once)…",
  );
  const report = await rebuildFromLedgers(log);
  log(`Figures rebuilt: ${report.records} approved rows, ${report.indexEntities + report.rollupEntities} entities.`);
  return 'rebuilt';
}
