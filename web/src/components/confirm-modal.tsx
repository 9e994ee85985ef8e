import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ReactNode } from 'react';

/** AWS's confirmation dialog for a destructive action: what will happen, then Cancel or the action itself. */
export function ConfirmModal(props: {
  visible: boolean;
  header: string;
  /** The confirming button's label ("Delete", "Remove"). */
  action: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <Modal
      visible={props.visible}
      onDismiss={props.onCancel}
      header={props.header}
      closeAriaLabel="Close dialog"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={props.onCancel}>
              Cancel
            </Button>
            <Button variant="primary" loading={props.busy} onClick={props.onConfirm}>
              {props.action}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      {props.children}
    </Modal>
  );
}
