// The one message bar the task pane shows after a command: its intent, a title and a sentence.
export interface PaneMessage {
  intent: 'success' | 'warning' | 'error' | 'info';
  title: string;
  text: string;
}
