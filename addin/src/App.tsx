// The task pane's Fluent UI shell.
import React from 'react';
import { Caption1, Title3, tokens } from '@fluentui/react-components';

export interface AppProps {
  host: string;
}

export function App({ host }: AppProps): React.JSX.Element {
  return (
    <main style={{ padding: tokens.spacingHorizontalL }}>
      <Title3 as="h1">Ledgerdesk</Title3>
      <Caption1 data-testid="host">Connected to {host}</Caption1>
    </main>
  );
}
