// Schema migrations, applied in order once each. Append new ones; never edit an applied one.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'origins',
    sql: `
      CREATE TABLE origins (
        origin     TEXT PRIMARY KEY,
        decision   TEXT NOT NULL CHECK (decision IN ('allowed', 'denied')),
        decided_at TEXT NOT NULL,
        source     TEXT NOT NULL CHECK (source IN ('user', 'config', 'default'))
      );
    `,
  },
];
