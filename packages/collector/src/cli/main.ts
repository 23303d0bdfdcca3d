#!/usr/bin/env node
import { UsageError } from './args.js';
import { backupCommand } from './backup.js';
import { consentCommand } from './consent.js';
import { demoCommand } from './demo.js';
import { exportCommand } from './export.js';
import { keysCommand } from './keys.js';
import { serveCommand } from './serve.js';
import { importCommand } from './import.js';
import { segmentCommand } from './segment.js';
import { simulateCommand } from './simulate.js';

type Command = (argv: string[]) => Promise<number>;

/** Subcommands by name; each file owns its flags and usage. */
const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  keys: keysCommand,
  demo: demoCommand,
  consent: (argv) => consentCommand(argv),
  segment: segmentCommand,
  import: importCommand,
  simulate: simulateCommand,
  backup: backupCommand,
  export: exportCommand,
};

const HELP = `loupe: self-hosted behavioral analytics

  loupe serve [--db ./data/loupe.db | --database-url postgres://…] [--port 3000]
  loupe keys create --origin https://shop.example [--require-consent]
  loupe keys list
  loupe consent verify [--db …]
  loupe segment [--k auto|N] [--since 90d] [--report report.html] [--json]
  loupe import --file F --format csv|tsv|whitespace [--no-header] --columns user=…,time=…,amount=… [--time-format …]
  loupe simulate --users N --days D --seed S --to URL --write-key wk_…
  loupe demo
  loupe export [--since 90d] [--key wk_…] [--no-bots] [--to events.ndjson]   (every event, one JSON a line)
  loupe backup --to FILE [--db ./data/loupe.db]   (a consistent copy while it runs; restore with serve --db FILE)

Settings also come from LOUPE_* environment variables (LOUPE_DB, LOUPE_DATABASE_URL, LOUPE_ADMIN_TOKEN, PORT).`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${HELP}\n`);
    return 2;
  }
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`loupe: ${error instanceof UsageError ? error.message : (error.stack ?? error.message)}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
