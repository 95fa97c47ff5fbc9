import { describe, expect, it } from 'vitest';
import { parseUserAgent, type UserAgentInfo } from '../../../../src/pipeline/funcs/lib/user-agent.js';
import { SHARED_DIR } from '../../../support/shared.js';
import { casesFor, outFields, vectorSuite } from './vectors.js';

type Row = [string, Partial<UserAgentInfo>];

describe('parseUserAgent (mssola/user_agent v0.6.0 semantics)', () => {
  it.each<Row>([
    [
      'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36',
      {
        browser: 'Chrome',
        browserVer: '36.0.1985.125',
        engine: 'AppleWebKit',
        engineVer: '537.36',
        os: 'Windows 7',
        ua: 'Windows',
        isMobile: false,
        isBot: false,
      },
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
      {
        browser: 'Edge',
        browserVer: '120.0.2210.91',
        engine: 'AppleWebKit',
        engineVer: '537.36',
        os: 'Windows 10',
        ua: 'Windows',
      },
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.18362',
      { browser: 'Edge', browserVer: '18.18362', engine: 'EdgeHTML', engineVer: '' },
    ],
    [
      'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0',
      {
        browser: 'Firefox',
        browserVer: '115.0',
        engine: 'Gecko',
        engineVer: '20100101',
        os: 'Ubuntu',
        ua: 'X11',
        isMobile: false,
      },
    ],
    [
      'Mozilla/5.0 (Android; Mobile; rv:40.0) Gecko/40.0 Firefox/40.0',
      // Android Firefox swaps the two: the platform becomes the second comment part
      { browser: 'Firefox', os: 'Android', ua: 'Mobile', isMobile: true },
    ],
    [
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Mobile Safari/537.36',
      { browser: 'Chrome', os: 'Android 10', ua: 'Linux', isMobile: true },
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 6_0 like Mac OS X) AppleWebKit/536.26 (KHTML, like Gecko) Version/6.0 Mobile/10A5376e Safari/8536.25',
      {
        browser: 'Safari',
        browserVer: '6.0',
        os: 'CPU iPhone OS 6_0 like Mac OS X',
        ua: 'iPhone',
        isMobile: true,
      },
    ],
    [
      'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)',
      { browser: 'Internet Explorer', browserVer: '9.0', engine: 'Trident', os: 'Windows 7', ua: 'Windows' },
    ],
    [
      'Mozilla/5.0 (Windows NT 6.3; Trident/7.0; rv:11.0) like Gecko',
      {
        browser: 'Internet Explorer',
        browserVer: '11.0',
        engine: 'Trident',
        os: 'Windows 8.1',
        ua: 'Windows',
      },
    ],
    [
      'Opera/9.80 (X11; Linux x86_64) Presto/2.12.388 Version/12.16',
      { browser: 'Opera', browserVer: '9.80', engine: 'Presto', os: 'Linux x86_64', ua: 'X11' },
    ],
    [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      { browser: 'Googlebot', browserVer: '2.1', engine: '', os: '', ua: '', isBot: true, isMobile: false },
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 6_0 like Mac OS X) AppleWebKit/536.26 (KHTML, like Gecko) Version/6.0 Mobile/10A5376e Safari/8536.25 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      { browser: 'Googlebot', browserVer: '2.1', ua: '', isBot: true, isMobile: true },
    ],
    [
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      { browser: 'bingbot', browserVer: '2.0', isBot: true },
    ],
    ['Googlebot-Image/1.0', { browser: 'Googlebot-Image', browserVer: '', isBot: true }],
    ['curl/7.68.0', { browser: 'curl', browserVer: '7.68.0', isBot: false, os: '' }],
    ['okhttp/4.9.0', { browser: 'OkHttp', browserVer: '4.9.0', isMobile: true }],
    [
      'Dalvik/2.1.0 (Linux; U; Android 9; SM-G960F Build/PPR1.180610.011)',
      { browser: '', os: 'Android 9', ua: 'Linux', isMobile: true },
    ],
    [
      '',
      {
        browser: '',
        browserVer: '',
        engine: '',
        engineVer: '',
        os: '',
        ua: '',
        isMobile: false,
        isBot: false,
      },
    ],
  ])('%s', (header, want) => {
    expect(parseUserAgent(header)).toMatchObject(want);
  });

  it('always returns all eight keys', () => {
    expect(Object.keys(parseUserAgent('x')).sort()).toEqual(
      ['browser', 'browserVer', 'engine', 'engineVer', 'isBot', 'isMobile', 'os', 'ua'].sort(),
    );
  });
});

describe.skipIf(SHARED_DIR === null)(vectorSuite('user_agent'), () => {
  const cases = casesFor('user_agent');
  // one-line scripts without separators are compile errors (engine concern);
  // the rest read a JSON field and call user_agent on it
  const applicable = cases.filter((c) => outFields(c) !== null && /user_agent\(\s*"?(\w+)"?\s*\)/.test(c.pl));

  it('covers every vector that runs', () => {
    expect(cases.length).toBe(10);
    expect(applicable.length).toBe(4);
  });

  it.each(applicable.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const key = /user_agent\(\s*"?(\w+)"?\s*\)/.exec(c.pl)![1]!;
    const fields = outFields(c)!;
    const input = (JSON.parse(c.in) as Record<string, unknown>)[key];
    if (typeof input !== 'string') {
      expect(fields.browser).toBeUndefined(); // missing key: nothing added
      return;
    }
    const got = parseUserAgent(input);
    for (const [k, v] of Object.entries(got)) {
      const f = fields[k]!;
      expect(typeof v === 'boolean' ? f.b : f.s).toBe(v);
    }
  });
});
