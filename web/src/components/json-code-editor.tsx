import CodeEditor, { type CodeEditorProps } from '@cloudscape-design/components/code-editor';
import ace from 'ace-builds';
import 'ace-builds/src-noconflict/mode-json';
import 'ace-builds/src-noconflict/theme-cloud_editor';
import 'ace-builds/src-noconflict/theme-cloud_editor_dark';
import 'ace-builds/src-noconflict/ext-language_tools';
import 'ace-builds/css/ace.css';
import 'ace-builds/css/theme/cloud_editor.css';
import 'ace-builds/css/theme/cloud_editor_dark.css';
import { useState } from 'react';

// The console's CSP allows no inline <style>: Ace's own and its themes' styles come from the bundle's
// stylesheet (the imports above) instead of being injected. Modes and themes are bundled, and the JSON mode's
// syntax worker is not loaded: the policy validator's findings are shown below the editor instead.
ace.config.set('useStrictCSP', true);
ace.config.setDefaultValue('session', 'useWorker', false);

const I18N: CodeEditorProps.I18nStrings = {
  loadingState: 'Loading code editor',
  errorState: 'There was an error loading the code editor.',
  errorStateRecovery: 'Retry',
  editorGroupAriaLabel: 'Code editor',
  statusBarGroupAriaLabel: 'Status bar',
  cursorPosition: (row, column) => `Ln ${row}, Col ${column}`,
  errorsTab: 'Errors',
  warningsTab: 'Warnings',
  preferencesButtonAriaLabel: 'Preferences',
  paneCloseButtonAriaLabel: 'Close',
  preferencesModalHeader: 'Preferences',
  preferencesModalCancel: 'Cancel',
  preferencesModalConfirm: 'Confirm',
  preferencesModalCloseAriaLabel: 'Close preferences',
  preferencesModalWrapLines: 'Wrap lines',
  preferencesModalTheme: 'Theme',
  preferencesModalLightThemes: 'Light themes',
  preferencesModalDarkThemes: 'Dark themes',
  resizeHandleAriaLabel: 'Resize handle',
  resizeHandleTooltipText: 'Drag or select to resize',
};

/** A JSON document in Cloudscape's code editor (Ace): line numbers, highlighting, bracket matching. */
export function JsonCodeEditor({
  value,
  onChange,
  ariaLabel,
}: {
  value: string;
  onChange: (value: string) => void;
  ariaLabel: string;
}) {
  const [preferences, setPreferences] = useState<Partial<CodeEditorProps.Preferences>>({ wrapLines: true });
  const [height, setHeight] = useState(360);
  return (
    <CodeEditor
      ace={ace}
      language="json"
      value={value}
      onDelayedChange={(e) => onChange(e.detail.value)}
      preferences={preferences}
      onPreferencesChange={(e) => setPreferences(e.detail)}
      themes={{ light: ['cloud_editor'], dark: ['cloud_editor_dark'] }}
      editorContentHeight={height}
      onEditorContentResize={(e) => setHeight(e.detail.height)}
      ariaLabel={ariaLabel}
      i18nStrings={I18N}
    />
  );
}
