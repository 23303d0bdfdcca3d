import { isIP } from 'node:net';

/** IPv4 to /24, IPv6 to /48 (IPv4-mapped IPv6 as IPv4); anything unparseable is dropped. */
export function truncateIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? (mapped[1] as string) : ip;
  const version = isIP(address);
  if (version === 4) {
    const parts = address.split('.');
    return `${parts[0]}.${parts[1]}.${parts[2]}.0`;
  }
  if (version === 6) {
    const hextets = expandIpv6(address);
    return `${hextets.slice(0, 3).join(':')}::`;
  }
  return null;
}

function expandIpv6(address: string): string[] {
  const withoutZone = address.split('%')[0] as string;
  const [head = '', tail] = withoutZone.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) counts as two hextets; /48 never reaches it.
  const fill = 8 - left.length - right.length - (right.some((p) => p.includes('.')) ? 1 : 0);
  const full = tail === undefined ? left : [...left, ...Array(Math.max(fill, 0)).fill('0'), ...right];
  return full.map((h) => (h.includes('.') ? h : (Number.parseInt(h || '0', 16) || 0).toString(16)));
}

/**
 * Crawlers, monitors and HTTP libraries by user agent. Headless browsers are not in it on
 * purpose: behavioral anomaly detection in the segmenter judges those by what they do.
 */
const BOT_PATTERN =
  /bot\b|bot\/|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|quora link preview|outbrain|pinterest\/|vkshare|w3c_validator|lighthouse|pingdom|uptimerobot|statuscake|datadog|newrelicpinger|python-requests|python-urllib|aiohttp|go-http-client|java\/|okhttp|curl\/|wget\/|libwww|httpclient|scrapy|phantomjs|apachebench|\bab\/|wrk\/|k6\//i;

let lastUserAgent: string | null = null;
let lastVerdict = false;

/** Events of one batch nearly always share a user agent: the last verdict is remembered. */
export function isBotUserAgent(userAgent: string | null | undefined): boolean {
  if (!userAgent) return false;
  if (userAgent !== lastUserAgent) {
    lastVerdict = BOT_PATTERN.test(userAgent);
    lastUserAgent = userAgent;
  }
  return lastVerdict;
}

/** The earliest instant a JavaScript Date can hold (ECMA-262 §21.4.1.1). */
const MIN_DATE_MS = -8.64e15;

/**
 * Segment's skew correction: the client's clock may be wrong, but the gap between the event and
 * the send is right, so timestamp = receivedAt - (sentAt - timestamp).
 */
export function correctTimestamp(
  timestamp: string | undefined,
  sentAt: string | undefined,
  receivedAtMs: number,
): number {
  return correctTimestampMs(timestamp, sentAt ? Date.parse(sentAt) : Number.NaN, receivedAtMs);
}

/** `correctTimestamp` with `sentAt` already parsed (NaN for none): a batch's envelope is parsed once, not per event. */
export function correctTimestampMs(timestamp: string | undefined, sent: number, receivedAtMs: number): number {
  if (!timestamp) return receivedAtMs;
  const ts = Date.parse(timestamp);
  if (Number.isNaN(ts)) return receivedAtMs;
  if (Number.isNaN(sent)) return ts;
  const gap = sent - ts;
  // A negative gap means the event claims to be from after it was sent: trust the client's order no further.
  if (gap < 0) return receivedAtMs;
  const corrected = receivedAtMs - gap;
  // Dates far apart (year 1 and year 275760 both parse) push the result out of Date's range,
  // where toISOString() throws: such a gap is nonsense, so the receipt time stands in.
  return corrected >= MIN_DATE_MS ? corrected : receivedAtMs;
}
