import FileUpload from '@cloudscape-design/components/file-upload';
import FormField from '@cloudscape-design/components/form-field';

/** The picker's own words, as the console's file fields all say them. */
const STRINGS = {
  uploadButtonText: () => 'Choose file',
  dropzoneText: () => 'Drop a file to upload',
  removeFileAriaLabel: (_i: number, name: string) => `Remove ${name}`,
  limitShowFewer: 'Show fewer files',
  limitShowMore: 'Show more files',
  errorIconAriaLabel: 'Error',
  warningIconAriaLabel: 'Warning',
};

/** A "File" field that takes one file to send (Upload cost data, Import scenario); the page keeps the choice. */
export function FileField({
  description,
  accept,
  constraintText,
  files,
  onChange,
}: {
  description: string;
  /** The picker's filter: extensions and media types. */
  accept: string;
  constraintText?: string;
  files: File[];
  onChange: (files: File[]) => void;
}) {
  return (
    <FormField label="File" description={description}>
      <FileUpload
        value={files}
        onChange={(e) => onChange(e.detail.value)}
        accept={accept}
        showFileSize
        constraintText={constraintText}
        i18nStrings={STRINGS}
      />
    </FormField>
  );
}
