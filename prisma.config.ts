// Used by the Prisma CLI (`prisma generate`, and `prisma migrate deploy` where the native engine exists).
// The app itself never reads this file: src/config.ts and src/store/database.ts choose the database.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // generate does not connect, but the config wants a URL; deploy uses the real one.
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://127.0.0.1:5432/dealroom' },
});
