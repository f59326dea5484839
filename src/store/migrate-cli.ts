// `npm run db:migrate`: applies pending migrations to the configured database (the same step
// `npm start` runs first). Uses the embedded database unless DATABASE_URL is set.
import { loadConfig } from '../config.ts';
import { openDatabase } from './database.ts';

try {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  const where =
    config.database.kind === 'postgresql' ? 'PostgreSQL' : `the embedded database in ${config.database.dataDir}`;
  console.log(db.applied.length ? `Applied to ${where}: ${db.applied.join(', ')}` : `${where} is up to date.`);
  await db.close();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
