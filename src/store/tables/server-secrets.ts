/** Random keys made once per store and shared by every server on it; `value` is base64. */
export interface ServerSecretTable {
  name: string;
  value: string;
  created_at: string;
}

export interface ServerSecretTables {
  server_secret: ServerSecretTable;
}
