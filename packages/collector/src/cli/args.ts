import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError' as const;
}

/** `parseArgs` with strict options; unknown flags become a UsageError with the command's usage. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>, usage: string): ParsedArgs {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true }) as ParsedArgs;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\nusage: ${usage}`);
  }
}

export function portFrom(value: string | undefined): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid port "${value}"`);
  return port;
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOUPE_DB || './data/loupe.db';
}

export function defaultPort(env: NodeJS.ProcessEnv = process.env): string {
  return env.PORT || env.LOUPE_PORT || '3000';
}

/** A string option's value (undefined when absent). */
export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}
