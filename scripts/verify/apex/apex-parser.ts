/**
 * Parses Apex with prettier-plugin-apex's native serializer (jorje compiled ahead of time,
 * so no Java), the same parser `prettier --check` uses for the project's Apex. The serializer
 * is called directly rather than through prettier because the plugin's parse() reduces syntax
 * errors to bare messages, and the checks must report the line and column.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** A JSON node of jorje's AST as the serializer prints it (`@class` names the Java type). */
export interface AstNode {
  [key: string]: AstValue;
}
export type AstValue = string | number | boolean | null | AstValue[] | AstNode;

export interface ApexSyntaxError {
  line: number;
  column: number;
  message: string;
}

export type ApexParseResult =
  { ok: true; ast: AstNode } | { ok: false; errors: ApexSyntaxError[] };

export interface ParsedApexFile {
  file: string;
  source: string;
  result: ApexParseResult;
}

const PARSER_OUTPUT = 'apex.jorje.semantic.compiler.parser.ParserOutput';

/** The serializer binaries prettier-plugin-apex ships as optional dependencies, by platform. */
const NATIVE_PACKAGES: Record<string, string> = {
  'linux-x64': '@prettier-apex/apex-ast-serializer-linux-x64',
  'darwin-x64': '@prettier-apex/apex-ast-serializer-darwin-x64',
  'darwin-arm64': '@prettier-apex/apex-ast-serializer-darwin-arm64',
  'win32-x64': '@prettier-apex/apex-ast-serializer-win32-x64'
};

export class ApexParserUnavailableError extends Error {
  override name = 'ApexParserUnavailableError';
}

let serializerPath: string | undefined;

/** Resolves the binary next to the installed plugin, as the plugin itself does. */
export function nativeSerializerPath(): string {
  if (serializerPath !== undefined) return serializerPath;
  const platform = `${process.platform}-${process.arch}`;
  const packageName = NATIVE_PACKAGES[platform];
  if (packageName === undefined) {
    throw new ApexParserUnavailableError(
      `prettier-plugin-apex has no native Apex parser for ${platform}`
    );
  }
  const fromPlugin = createRequire(
    createRequire(import.meta.url).resolve('prettier-plugin-apex')
  );
  const executable = `apex-ast-serializer-${platform}${process.platform === 'win32' ? '.exe' : ''}`;
  try {
    serializerPath = fromPlugin.resolve(`${packageName}/${executable}`);
  } catch {
    throw new ApexParserUnavailableError(
      `${packageName} is not installed (an optional dependency of prettier-plugin-apex); run npm ci`
    );
  }
  return serializerPath;
}

function runSerializer(source: string): Promise<string> {
  const executable = nativeSerializerPath();
  return new Promise((resolve, reject) => {
    const child = spawn(executable, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else
        reject(
          new Error(
            `Apex parser exited with ${String(code)}: ${Buffer.concat(stderr).toString('utf8')}`
          )
        );
    });
    child.stdin.end(source, 'utf8');
  });
}

export function isNode(value: AstValue | undefined): value is AstNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first `{ line, column }` pair inside a jorje error, wherever its subtype keeps it. */
function findPosition(
  value: AstValue | undefined
): { line: number; column: number } | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findPosition(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!isNode(value)) return undefined;
  const { line, column } = value;
  if (typeof line === 'number' && typeof column === 'number')
    return { line, column };
  for (const child of Object.values(value)) {
    const found = findPosition(child);
    if (found) return found;
  }
  return undefined;
}

/** Parses one class or trigger body. Throws only when the parser itself cannot run. */
export async function parseApex(source: string): Promise<ApexParseResult> {
  const output: unknown = JSON.parse(await runSerializer(source));
  const parserOutput = isNode(output as AstValue)
    ? (output as AstNode)[PARSER_OUTPUT]
    : undefined;
  if (!isNode(parserOutput))
    throw new Error('Apex parser returned no parser output');
  const parseErrors = parserOutput.parseErrors;
  if (Array.isArray(parseErrors) && parseErrors.length > 0) {
    return {
      ok: false,
      errors: parseErrors.map((error) => {
        const position = findPosition(error) ?? { line: 1, column: 1 };
        const message =
          isNode(error) && typeof error.message === 'string'
            ? error.message
            : 'syntax error';
        return { ...position, message };
      })
    };
  }
  const unit = parserOutput.unit;
  if (!isNode(unit))
    throw new Error('Apex parser returned no compilation unit');
  return { ok: true, ast: unit };
}

/** Parses files a few at a time: each parse is a short-lived process. */
export async function parseApexFiles(
  files: readonly string[],
  concurrency = 4
): Promise<ParsedApexFile[]> {
  const results = new Array<ParsedApexFile>(files.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      if (file === undefined) return;
      const source = await readFile(file, 'utf8');
      results[index] = { file, source, result: await parseApex(source) };
    }
  }
  await Promise.all(
    Array.from({ length: Math.min(concurrency, files.length) }, worker)
  );
  return results;
}
