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

// v2: one decision per origin and grant (login, sign-documents, sign-raw). An old "allowed"
// was the first consent, which gives login + sign-documents; an old "denied" refused both.
MIGRATIONS.push({
  version: 2,
  name: 'grants',
  sql: `
    CREATE TABLE grants (
      origin     TEXT NOT NULL,
      grant_name TEXT NOT NULL CHECK (grant_name IN ('login', 'sign-documents', 'sign-raw')),
      decision   TEXT NOT NULL CHECK (decision IN ('allowed', 'denied')),
      source     TEXT NOT NULL CHECK (source IN ('dialog', 'config')),
      updated_at TEXT NOT NULL,
      PRIMARY KEY (origin, grant_name)
    );
    INSERT INTO grants (origin, grant_name, decision, source, updated_at)
      SELECT o.origin, g.name, o.decision, CASE o.source WHEN 'config' THEN 'config' ELSE 'dialog' END, o.decided_at
      FROM origins o, (SELECT 'login' AS name UNION ALL SELECT 'sign-documents') g
      WHERE o.source <> 'default';
    DROP TABLE origins;
  `,
});
