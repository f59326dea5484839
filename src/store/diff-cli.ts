// `npm run db:diff -- <name>`: writes the next migration from prisma/schema.prisma.
// Runs against throwaway in-memory databases, so it needs no server and touches no data.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { diffMigrationsToSchema, writeMigration } from './schema-engine.ts';

const name = process.argv[2];
if (!name) {
  console.error('Name the migration: npm run db:diff -- add_deal_priority');
  process.exit(2);
}
const sql = await diffMigrationsToSchema(new PrismaPGlite(new PGlite('memory://')));
if (!sql) {
  console.log('The migrations already produce prisma/schema.prisma: nothing to write.');
} else {
  console.log(`Wrote ${writeMigration(name, sql)}/migration.sql`);
}
