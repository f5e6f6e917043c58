// One full-width command button of a tab, with its icon and test id, and the hint under it.
import { Button, Caption1 } from '@fluentui/react-components';
import { useStyles } from './styles';

export interface CommandButtonProps {
  id: string;
  icon: React.JSX.Element;
  primary?: boolean;
  disabled: boolean;
  onClick: () => void;
  children: React.ReactNode;
}

export function CommandButton({
  id,
  icon,
  primary,
  disabled,
  onClick,
  children,
}: CommandButtonProps): React.JSX.Element {
  const s = useStyles();
  return (
    <Button
      className={s.command}
      appearance={primary === true ? 'primary' : 'secondary'}
      icon={icon}
      disabled={disabled}
      onClick={onClick}
      data-testid={`cmd-${id}`}
    >
      {children}
    </Button>
  );
}

export function Hint({ children }: { children: React.ReactNode }): React.JSX.Element {
  const s = useStyles();
  return <Caption1 className={s.hint}>{children}</Caption1>;
}
