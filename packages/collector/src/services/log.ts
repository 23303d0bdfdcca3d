/** Structured JSON logs on stderr. Callers pass no personal data: no ids, IPs, or payloads. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel = (process.env.LOUPE_LOG_LEVEL as LogLevel) || 'info'): Logger {
  const min = ORDER[level] ?? ORDER.info;
  return {
    log(at, msg, fields) {
      if (ORDER[at] < min) return;
      process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields })}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {} };
