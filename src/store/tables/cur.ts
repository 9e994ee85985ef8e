/** Tables of the Cost and Usage Reports area: report definitions and data exports per account (see `src/billing/reports/`). */

/**
 * One AWS Cost and Usage Report definition. The definition's settings (time unit, format, compression,
 * schema elements, S3 destination, artifacts, versioning) are AWS's `ReportDefinition` members as JSON:
 * Bursar records them and answers with them; it delivers no files to S3.
 */
export interface CurReportDefinitionTable {
  account_id: string;
  report_name: string;
  definition: string;
  /** The report's tags, `[{Key, Value}]` as JSON. */
  tags: string;
  created_at: string;
  updated_at: string;
}

/** One BCM Data Exports export: AWS's `Export` (query, S3 destination, cadence) as JSON, by its ARN's id. */
export interface BcmExportTable {
  account_id: string;
  /** The ARN's last segment, `NAME-UUID`. */
  export_id: string;
  name: string;
  export: string;
  /** The export's tags, `[{Key, Value}]` as JSON. */
  tags: string;
  created_at: string;
  updated_at: string;
}

/**
 * One run of an export (or of a CUR report definition, `export_id` `cur:NAME`): its status as Data Exports'
 * ExecutionStatus reports it, the definition it ran, and the files it delivered. `slot` (unique per export) is
 * how a run is claimed: a scheduled run's is its UTC day, an on-demand run's its own id.
 */
export interface BcmExportExecutionTable {
  account_id: string;
  export_id: string;
  execution_id: string;
  slot: string;
  status_code: string;
  status_reason: string | null;
  definition: string;
  /** The delivered files' keys, JSON; NULL until delivered. */
  files: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface CurTables {
  cur_report_definition: CurReportDefinitionTable;
  bcm_export: BcmExportTable;
  bcm_export_execution: BcmExportExecutionTable;
}
