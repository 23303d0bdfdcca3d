import { describe, expect, it } from 'vitest';
import { correctTimestamp, isBotUserAgent, truncateIp } from './enrich.js';

describe('truncateIp', () => {
  it('keeps the /24 of an IPv4 address', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('10.0.0.1')).toBe('10.0.0.0');
    expect(truncateIp('255.255.255.255')).toBe('255.255.255.0');
  });

  it('keeps the /48 of an IPv6 address, expanding :: and dropping leading zeros', () => {
    expect(truncateIp('2001:0db8:85a3:0000:0000:8a2e:0370:7334')).toBe('2001:db8:85a3::');
    expect(truncateIp('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:85a3::');
    expect(truncateIp('2001:db8::1')).toBe('2001:db8:0::');
    expect(truncateIp('2001::')).toBe('2001:0:0::');
    expect(truncateIp('::1')).toBe('0:0:0::');
  });

  it('truncates the unspecified address :: without failing', () => {
    expect(truncateIp('::')).toBe('0:0:0::');
  });

  it('treats an IPv4-mapped IPv6 address as IPv4', () => {
    expect(truncateIp('::ffff:198.51.100.23')).toBe('198.51.100.0');
    expect(truncateIp('::FFFF:198.51.100.23')).toBe('198.51.100.0');
  });

  it('never returns the whole address of an IPv4-mapped address written in hex or with an embedded IPv4 tail', () => {
    expect(truncateIp('::ffff:c633:6417')).not.toContain('6417');
    expect(truncateIp('::198.51.100.23')).toBe('0:0:0::');
    expect(truncateIp('64:ff9b::198.51.100.23')).toBe('64:ff9b:0::');
  });

  it('drops the zone id of a link-local address', () => {
    expect(truncateIp('fe80::1ff:fe23:4567:890a%eth0')).toBe('fe80:0:0::');
    expect(truncateIp('fe80:1:2:3::1%25en0')).toBe('fe80:1:2::');
  });

  it('returns null for anything that is not an address', () => {
    for (const garbage of [
      '',
      'localhost',
      '1.2.3',
      '256.1.1.1',
      '01.2.3.4',
      ' 1.2.3.4',
      '1.2.3.4%eth0',
      '::ffff:999.1.1.1',
      'gggg::',
      "1' OR '1'='1",
      '\u0000',
    ]) {
      expect(truncateIp(garbage), garbage).toBeNull();
    }
    expect(truncateIp(null)).toBeNull();
    expect(truncateIp(undefined)).toBeNull();
  });
});

describe('isBotUserAgent', () => {
  it('flags crawlers, monitors and HTTP libraries', () => {
    for (const ua of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
      'Mozilla/5.0 (Macintosh) Chrome-Lighthouse',
      'curl/8.5.0',
      'Wget/1.21.4',
      'python-requests/2.31.0',
      'Go-http-client/1.1',
      'okhttp/4.12.0',
      'Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
    ]) {
      expect(isBotUserAgent(ua), ua).toBe(true);
    }
  });

  it('does not flag ordinary browsers or a missing user agent', () => {
    for (const ua of [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
      'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
    ]) {
      expect(isBotUserAgent(ua), ua).toBe(false);
    }
    expect(isBotUserAgent(null)).toBe(false);
    expect(isBotUserAgent(undefined)).toBe(false);
    expect(isBotUserAgent('')).toBe(false);
  });
});

describe('correctTimestamp', () => {
  const receivedAt = Date.parse('2024-06-01T12:00:00.000Z');

  it('moves the event to receivedAt minus the client-measured gap between event and send', () => {
    // The client's clock is an hour fast; the event happened 5 s before it was sent.
    const corrected = correctTimestamp('2024-06-01T13:00:00.000Z', '2024-06-01T13:00:05.000Z', receivedAt);
    expect(new Date(corrected).toISOString()).toBe('2024-06-01T11:59:55.000Z');
  });

  it('uses receivedAt when the event has no timestamp', () => {
    expect(correctTimestamp(undefined, '2024-06-01T13:00:05.000Z', receivedAt)).toBe(receivedAt);
  });

  it('keeps the client timestamp when there is no usable sentAt', () => {
    const ts = '2024-05-31T08:00:00.000Z';
    expect(correctTimestamp(ts, undefined, receivedAt)).toBe(Date.parse(ts));
    expect(correctTimestamp(ts, 'not a date', receivedAt)).toBe(Date.parse(ts));
  });

  it('uses receivedAt when the event claims to be from after it was sent', () => {
    expect(correctTimestamp('2024-06-01T13:00:10.000Z', '2024-06-01T13:00:00.000Z', receivedAt)).toBe(receivedAt);
  });

  it('uses receivedAt instead of producing a date outside the Date range when the gap is absurd', () => {
    const corrected = correctTimestamp('-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', receivedAt);
    expect(corrected).toBe(receivedAt);
    expect(() => new Date(corrected).toISOString()).not.toThrow();
    const fromYearOne = correctTimestamp('0001-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', receivedAt);
    expect(() => new Date(fromYearOne).toISOString()).not.toThrow();
  });
});
