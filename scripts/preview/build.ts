/**
 * The preview build: compiles the force-app components themselves (no copies) with LWC OSS,
 * lightning-base-components and the preview's stand-ins for the platform modules the
 * components import, into one browser bundle.
 *
 * What made LWC OSS and the base components render in Chromium (ARCHITECTURE, toolchain
 * facts): the lwc() plugin with enableDynamicComponents and enableSyntheticElementInternals,
 * @lwc/synthetic-shadow imported first (app/main.js), import.meta.env.SSR replaced with
 * false, dynamic imports inlined.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import lwcModule from '@lwc/rollup-plugin';
import nodeResolveModule from '@rollup/plugin-node-resolve';
import replaceModule from '@rollup/plugin-replace';
import { rollup, type Plugin } from 'rollup';

type DefaultExport<T> = T extends { default: infer F } ? F : T;
/**
 * These plugins are CommonJS whose types declare `export default`: under NodeNext TypeScript
 * types the default import as the module object, while Node hands over the function itself.
 */
function defaultExport<T>(module: T): DefaultExport<T> {
  return ((module as { default?: unknown }).default ??
    module) as DefaultExport<T>;
}
const lwc = defaultExport(lwcModule);
const nodeResolve = defaultExport(nodeResolveModule);
const replace = defaultExport(replaceModule);

export const PROJECT_ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..'
);
const PREVIEW_DIR = path.join(PROJECT_ROOT, 'scripts', 'preview');
const PLATFORM_DIR = path.join(PREVIEW_DIR, 'platform');
export const FORCE_APP_LWC = path.join(
  PROJECT_ROOT,
  'force-app',
  'main',
  'default',
  'lwc'
);

/** Platform modules the components import, each answered by a preview stand-in file. */
const PLATFORM_MODULES: Record<string, string> = {
  'lightning/uiRecordApi': 'uiRecordApi.js',
  'lightning/navigation': 'navigation.js',
  'lightning/platformShowToastEvent': 'platformShowToastEvent.js',
  '@salesforce/apex': 'apex.js'
};

const VIRTUAL = '\0preview:';

/**
 * Resolves the platform's modules to the stand-ins: `@salesforce/apex/Class.method` becomes a
 * callable wire adapter bound to that method, `@salesforce/schema/Object.Field` the field
 * reference object the platform hands components.
 */
export function platformModules(): Plugin {
  return {
    name: 'preview-platform-modules',
    resolveId(source) {
      const file = PLATFORM_MODULES[source];
      if (file) return path.join(PLATFORM_DIR, file);
      if (
        source.startsWith('@salesforce/apex/') ||
        source.startsWith('@salesforce/schema/')
      )
        return VIRTUAL + source;
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const source = id.slice(VIRTUAL.length);
      const apex = /^@salesforce\/apex\/(\w+)\.(\w+)$/.exec(source);
      if (apex) {
        const apexFile = JSON.stringify(path.join(PLATFORM_DIR, 'apex.js'));
        return `import { apexMethod } from ${apexFile};\nexport default apexMethod(${JSON.stringify(apex[1])}, ${JSON.stringify(apex[2])});\n`;
      }
      const schema = /^@salesforce\/schema\/(\w+)(?:\.(\w+))?$/.exec(source);
      if (schema) {
        const reference = schema[2]
          ? { objectApiName: schema[1], fieldApiName: schema[2] }
          : { objectApiName: schema[1] };
        return `export default ${JSON.stringify(reference)};\n`;
      }
      this.error(`The preview has no stand-in for ${source}`);
    }
  };
}

/** c/<name> for every force-app component folder: the same files the org gets. */
function forceAppModules(): { name: string; path: string }[] {
  return readdirSync(FORCE_APP_LWC, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const file = path.join(FORCE_APP_LWC, entry.name, `${entry.name}.js`);
      return existsSync(file) ? [{ name: `c/${entry.name}`, path: file }] : [];
    });
}

export interface BuildResult {
  /** The folder served as the site root. */
  outDir: string;
  /** Milliseconds the build took (0 when an earlier build of the same sources was reused). */
  millis: number;
  cached: boolean;
}

/** Builds of earlier runs, by the hash of everything that goes into them. */
export const BUILD_CACHE_DIR = path.join(PROJECT_ROOT, '.tmp', 'preview-build');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Hash of the build's inputs: the force-app components, the preview's own sources and the
 * compiler and base component versions. Same hash, same bundle.
 */
export function buildInputsHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...filesUnder(FORCE_APP_LWC).filter(
      (file) => !file.split(path.sep).includes('__tests__')
    ),
    ...filesUnder(PREVIEW_DIR).filter(
      (file) => !file.endsWith('.test.ts') && !file.endsWith('.browser.ts')
    )
  ];
  for (const file of files) {
    hash.update(path.relative(PROJECT_ROOT, file));
    hash.update(readFileSync(file));
  }
  for (const pkg of ['lwc', 'lightning-base-components', '@lwc/rollup-plugin'])
    hash.update(
      readFileSync(path.join(PROJECT_ROOT, 'node_modules', pkg, 'package.json'))
    );
  return hash.digest('hex').slice(0, 16);
}

/**
 * The preview site (index.html and the bundle; the server serves SLDS's assets from
 * node_modules), from the cache when its inputs have not changed since an earlier build.
 * Compiling the base components takes most of a minute on a busy machine.
 */
export async function buildPreview(
  cacheDir: string = BUILD_CACHE_DIR
): Promise<BuildResult> {
  const outDir = path.join(cacheDir, buildInputsHash());
  if (existsSync(path.join(outDir, 'app.js')))
    return { outDir, millis: 0, cached: true };
  const started = Date.now();
  // Built aside and renamed into place, so a parallel run never serves half a build.
  mkdirSync(cacheDir, { recursive: true });
  pruneCache(cacheDir);
  const workDir = mkdtempSync(path.join(cacheDir, 'building-'));
  await compileSite(workDir);
  try {
    renameSync(workDir, outDir);
  } catch (error) {
    // Another run finished the same build first: use its copy.
    rmSync(workDir, { recursive: true, force: true });
    if (!existsSync(path.join(outDir, 'app.js'))) throw error;
  }
  return { outDir, millis: Date.now() - started, cached: false };
}

/** Builds kept besides the new one: enough for a few source versions side by side. */
const KEEP_BUILDS = 3;
/** A work folder this old belongs to a build that was stopped. */
const ABANDONED_AFTER_MS = 30 * 60 * 1000;

function pruneCache(cacheDir: string): void {
  const entries = readdirSync(cacheDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = path.join(cacheDir, entry.name);
      return { dir, name: entry.name, mtime: statSync(dir).mtimeMs };
    });
  const builds = entries
    .filter((entry) => !entry.name.startsWith('building-'))
    .sort((a, b) => b.mtime - a.mtime);
  const stale = [
    ...builds.slice(KEEP_BUILDS),
    ...entries.filter(
      (entry) =>
        entry.name.startsWith('building-') &&
        Date.now() - entry.mtime > ABANDONED_AFTER_MS
    )
  ];
  for (const { dir } of stale) rmSync(dir, { recursive: true, force: true });
}

async function compileSite(outDir: string): Promise<void> {
  const bundle = await rollup({
    input: path.join(PREVIEW_DIR, 'app', 'main.js'),
    plugins: [
      platformModules(),
      replace({
        preventAssignment: true,
        values: {
          'import.meta.env.SSR': 'false',
          'process.env.NODE_ENV': JSON.stringify('production')
        }
      }),
      lwc({
        rootDir: path.join(PREVIEW_DIR, 'lwc'),
        modules: [
          ...forceAppModules(),
          { dir: path.join(PREVIEW_DIR, 'lwc') },
          { npm: 'lightning-base-components' }
        ],
        enableDynamicComponents: true,
        enableSyntheticElementInternals: true
      }),
      nodeResolve()
    ],
    onwarn(warning, warn) {
      // A module nobody answers would fail in the browser: fail the build instead.
      if (warning.code === 'UNRESOLVED_IMPORT')
        throw new Error(`The preview build cannot resolve ${warning.message}`);
      // The base components' own templates draw LWC template warnings (duplicate slots, keys
      // outside for:each) that are theirs to fix; ours and force-app's are still shown.
      if (
        warning.id?.includes(`${path.sep}lightning-base-components${path.sep}`)
      )
        return;
      warn(warning);
    }
  });
  try {
    await bundle.write({
      file: path.join(outDir, 'app.js'),
      format: 'es',
      inlineDynamicImports: true
    });
  } finally {
    await bundle.close();
  }
  copyFileSync(
    path.join(PREVIEW_DIR, 'app', 'index.html'),
    path.join(outDir, 'index.html')
  );
}
