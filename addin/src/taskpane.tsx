// Task pane entry: the one place that waits for Office.onReady and wires React into the page.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { App } from './App';
import { createOfficeWorkbook } from '../excel/officeWorkbook';
import { createNaaTokenProvider } from './auth/naa';
import { registerLedgerdeskFunctions } from './functions/functions';

// The LEDGERDESK custom functions run in this runtime too (shared runtime): associated before Excel calls any.
if (typeof CustomFunctions !== 'undefined') registerLedgerdeskFunctions(CustomFunctions);

void Office.onReady((info) => {
  const rootElement = document.getElementById('root');
  if (rootElement === null) throw new Error('taskpane.html has no #root element');
  createRoot(rootElement).render(
    <React.StrictMode>
      <FluentProvider theme={webLightTheme}>
        <App
          host={String(info.host ?? 'no Office host')}
          workbook={createOfficeWorkbook()}
          signInAzure={createNaaTokenProvider}
          storage={window.localStorage}
        />
      </FluentProvider>
    </React.StrictMode>,
  );
});
