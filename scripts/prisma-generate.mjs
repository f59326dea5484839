// Runs `prisma generate` offline. The Prisma CLI insists on its native schema-engine binary for
// every command and tries to download it when absent; generate never uses it, so where it is
// missing (air-gapped machines, this project's CI) we point the CLI at an inert stub.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const engines = path.resolve('node_modules/@prisma/engines');
const hasNative = fs.existsSync(engines) && fs.readdirSync(engines).some((f) => f.startsWith('schema-engine'));
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
if (!hasNative && !env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
execFileSync(process.execPath, [path.resolve('node_modules/prisma/build/index.js'), 'generate'], {
  stdio: 'inherit',
  env,
});
