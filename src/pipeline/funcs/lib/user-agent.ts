/**
 * `user_agent`: DataKit parses User-Agent headers with mssola/user_agent
 * v0.6.0 and reports eight keys (browser, browserVer, engine, engineVer,
 * os, ua = platform, isMobile, isBot). ua-parser-js names and splits things
 * differently ("Windows" + "7" instead of "Windows 7"), so this follows the
 * Go library's section-based algorithm instead.
 *
 * A header is read as sections `Name/Version (comment; parts)`; the browser
 * comes from the sections after the first, the OS and platform from the
 * first section's comment, and undecided cases go through bot detection.
 */

export interface UserAgentInfo {
  browser: string;
  browserVer: string;
  engine: string;
  engineVer: string;
  os: string;
  ua: string;
  isMobile: boolean;
  isBot: boolean;
}

interface Section {
  name: string;
  version: string;
  comment: string[];
}

interface State {
  ua: string;
  mozilla: string;
  platform: string;
  os: string;
  browserName: string;
  browserVersion: string;
  engine: string;
  engineVersion: string;
  bot: boolean;
  mobile: boolean;
  undecided: boolean;
}

/** Reads to `delim` (nested parentheses balanced when `nested`); returns [text, next index]. */
function readUntil(ua: string, index: number, delim: string, nested: boolean): [string, number] {
  let depth = 0;
  let i = index;
  for (; i < ua.length; i++) {
    const c = ua[i];
    if (c === delim) {
      if (depth === 0) return [ua.slice(index, i), i + 1];
      depth--;
    } else if (nested && c === '(') depth++;
  }
  return [ua.slice(index, i), i + 1];
}

function parseSection(ua: string, index: number): [Section, number] {
  const s: Section = { name: '', version: '', comment: [] };
  let i = index;
  if (i < ua.length && ua[i] !== '(' && ua[i] !== '[') {
    const [product, next] = readUntil(ua, i, ' ', false);
    i = next;
    const slash = product.indexOf('/');
    if (slash >= 0) {
      s.name = product.slice(0, slash);
      s.version = product.slice(slash + 1);
    } else s.name = product;
  }
  if (i < ua.length && ua[i] === '(') {
    const [comment, next] = readUntil(ua, i + 1, ')', true);
    s.comment = comment.split('; ');
    i = next + 1;
  }
  if (i < ua.length && ua[i] === '[') {
    // trailing [bracketed] data is dropped
    i = readUntil(ua, i + 1, ']', true)[1] + 1;
  }
  return [s, i];
}

const IE11_RV = /^rv:(.+)$/;
const BOT_SITE = /https?:\/\/.+\.\w+/;
const BOT_NAME = /bot|crawler|sp[iy]der|search|worm|fetch|nutch/iu;

function detectBrowser(p: State, sections: Section[]): void {
  const slen = sections.length;
  const first = sections[0]!;
  if (first.name === 'Opera') {
    p.browserName = 'Opera';
    p.browserVersion = first.version;
    p.engine = 'Presto';
    if (slen > 1) p.engineVersion = sections[1]!.version;
    return;
  }
  if (first.name === 'Dalvik') {
    p.mozilla = '5.0';
    return;
  }
  if (slen > 1) {
    const engine = sections[1]!;
    p.engine = engine.name;
    p.engineVersion = engine.version;
    if (slen <= 2) return;
    // Ubuntu builds put an empty-version section after the engine
    const idx = sections[2]!.version === '' && slen > 3 ? 3 : 2;
    p.browserVersion = sections[idx]!.version;
    if (engine.name === 'AppleWebKit') detectWebkitBrowser(p, sections, engine, idx);
    else if (engine.name === 'Gecko') {
      let name = sections[2]!.name;
      if (name === 'MRA' && slen > 4) {
        name = sections[4]!.name;
        p.browserVersion = sections[4]!.version;
      }
      p.browserName = name;
    } else if (engine.name === 'like' && sections[2]!.name === 'Gecko') {
      // Internet Explorer 11
      p.engine = 'Trident';
      p.browserName = 'Internet Explorer';
      for (const c of first.comment) {
        const m = IE11_RV.exec(c);
        if (m) {
          p.browserVersion = m[1]!;
          return;
        }
      }
      p.browserVersion = '';
    }
    return;
  }
  if (slen === 1 && first.comment.length > 1) {
    const comment = first.comment;
    if (comment[0] === 'compatible' && comment[1]!.startsWith('MSIE')) {
      p.engine = 'Trident';
      p.browserName = 'Internet Explorer';
      // the Trident token is more accurate than the MSIE compatibility version
      for (const v of comment) {
        if (v.startsWith('Trident/')) {
          const t = v.slice(8);
          if (t === '4.0') p.browserVersion = '8.0';
          else if (t === '5.0') p.browserVersion = '9.0';
          else if (t === '6.0') p.browserVersion = '10.0';
          break;
        }
      }
      if (p.browserVersion === '') p.browserVersion = comment[1]!.slice(4).trim();
    }
  }
}

function mentionsGoogleOrBingBot(comment: readonly string[]): boolean {
  for (const c of comment)
    if (c.length > 5 && (c.startsWith('Googlebot') || c.startsWith('bingbot'))) return true;
  return false;
}

function detectWebkitBrowser(p: State, sections: Section[], engine: Section, idx: number): void {
  const slen = sections.length;
  if (mentionsGoogleOrBingBot(engine.comment)) p.undecided = true;
  const last = sections[slen - 1]!;
  switch (last.name) {
    case 'Edge':
      p.browserName = 'Edge';
      p.browserVersion = last.version;
      p.engine = 'EdgeHTML';
      p.engineVersion = '';
      return;
    case 'Edg':
      if (!p.undecided) {
        p.browserName = 'Edge';
        p.browserVersion = last.version;
        p.engine = 'AppleWebKit';
        p.engineVersion = sections[slen - 2]!.version;
      }
      return;
    case 'OPR':
      p.browserName = 'Opera';
      p.browserVersion = last.version;
      return;
    case 'Mobile':
      p.browserName = 'Mobile App';
      p.browserVersion = '';
      return;
  }
  const third = sections[slen - 3]!;
  const second = sections[slen - 2]!;
  if (third.name === 'YaBrowser') {
    p.browserName = 'YaBrowser';
    p.browserVersion = third.version;
  } else if (third.name === 'coc_coc_browser') {
    p.browserName = 'Coc Coc';
    p.browserVersion = third.version;
  } else if (second.name === 'Electron' || second.name === 'DuckDuckGo' || second.name === 'PhantomJS') {
    p.browserName = second.name;
    p.browserVersion = second.version;
  } else {
    switch (sections[idx]!.name) {
      case 'Chrome':
      case 'CriOS':
        p.browserName = 'Chrome';
        break;
      case 'HeadlessChrome':
        p.browserName = 'Headless Chrome';
        break;
      case 'Chromium':
        p.browserName = 'Chromium';
        break;
      case 'GSA':
        p.browserName = 'Google App';
        break;
      case 'FxiOS':
        p.browserName = 'Firefox';
        break;
      default:
        p.browserName = 'Safari';
    }
  }
}

const WINDOWS_NT: Readonly<Record<string, string>> = {
  '5.0': 'Windows 2000',
  '5.01': 'Windows 2000, Service Pack 1 (SP1)',
  '5.1': 'Windows XP',
  '5.2': 'Windows XP x64 Edition',
  '6.0': 'Windows Vista',
  '6.1': 'Windows 7',
  '6.2': 'Windows 8',
  '6.3': 'Windows 8.1',
  '10.0': 'Windows 10',
};

/** "Windows NT 6.1" to "Windows 7"; other names pass through. */
function normalizeOS(name: string): string {
  const a = name.indexOf(' ');
  if (a < 0) return name;
  const b = name.indexOf(' ', a + 1);
  if (b < 0 || name.slice(a + 1, b) !== 'NT') return name;
  return WINDOWS_NT[name.slice(b + 1)] ?? name;
}

function googleOrBingBot(p: State): boolean {
  if (p.ua.includes('Google') || p.ua.includes('bingbot')) {
    p.platform = '';
    p.undecided = true;
  }
  return p.undecided;
}

function iMessagePreview(p: State): boolean {
  // iMessage impersonates both the Facebook and the Twitter bots
  if (!p.ua.includes('facebookexternalhit') || !p.ua.includes('Twitterbot')) return false;
  p.bot = true;
  p.browserName = 'iMessage-Preview';
  p.engine = '';
  p.engineVersion = '';
  return true;
}

function webkitOS(p: State, comment: string[]): void {
  if (p.platform === 'webOS') {
    p.browserName = p.platform;
    p.os = 'Palm';
    p.mobile = true;
  } else if (p.platform === 'Symbian') {
    p.mobile = true;
    p.browserName = p.platform;
    p.os = comment[0]!;
  } else if (p.platform === 'Linux') {
    p.mobile = true;
    if (p.browserName === 'Safari') p.browserName = 'Android';
    if (comment.length > 1) {
      if (comment[1] === 'U' || comment[1] === 'arm_64') {
        if (comment.length > 2) p.os = comment[2]!;
        else {
          p.mobile = false;
          p.os = comment[0]!;
        }
      } else p.os = comment[1]!;
    }
    if (comment.length === 3) googleOrBingBot(p);
  } else if (comment.length > 0) {
    if (comment[0]!.startsWith('Windows NT')) p.os = normalizeOS(comment[0]!);
    else if (comment.length === 2) {
      if (!googleOrBingBot(p) && !iMessagePreview(p)) p.os = normalizeOS(comment[1]!);
    } else if (comment.length >= 3) p.os = normalizeOS(comment[2]!);
    if (p.platform === 'BlackBerry') {
      p.browserName = p.platform;
      if (p.os === 'Touch') p.os = p.platform;
    }
  }
  // Firefox on iPad announces itself as a Macintosh
  if (p.platform === 'Macintosh' && p.engine === 'AppleWebKit' && p.browserName === 'Firefox') {
    p.platform = 'iPad';
    p.mobile = true;
  }
}

function geckoOS(p: State, comment: string[]): void {
  if (comment.length <= 1) return;
  if (comment[1] === 'U' || comment[1] === 'arm_64') {
    p.os = normalizeOS(comment.length > 2 ? comment[2]! : comment[1]!);
  } else if (p.platform.includes('Android')) {
    p.mobile = true;
    const platform = p.platform;
    p.platform = normalizeOS(comment[1]!);
    p.os = platform;
  } else if (comment[0] === 'Mobile' || comment[0] === 'Tablet') {
    p.mobile = true;
    p.os = 'FirefoxOS';
  } else if (p.os === '') p.os = normalizeOS(comment[1]!);
}

function tridentOS(p: State, comment: string[]): void {
  p.platform = 'Windows';
  if (p.os === '') p.os = comment.length > 2 ? normalizeOS(comment[2]!) : 'Windows NT 4.0';
  for (const v of comment) {
    if (v.startsWith('IEMobile')) {
      p.mobile = true;
      return;
    }
  }
}

function operaOS(p: State, comment: string[]): void {
  if (comment[0]!.startsWith('Windows')) {
    p.platform = 'Windows';
    p.os = normalizeOS(comment[0]!);
    return;
  }
  if (comment[0]!.startsWith('Android')) p.mobile = true;
  p.platform = comment[0]!;
  p.os = comment.length > 1 ? comment[1]! : comment[0]!;
}

function platformOf(comment: string[]): string {
  if (comment.length === 0 || comment[0] === 'compatible') return '';
  const c = comment[0]!;
  if (c.startsWith('Windows')) return 'Windows';
  if (c.startsWith('Symbian')) return 'Symbian';
  if (c.startsWith('webOS')) return 'webOS';
  if (c === 'BB10') return 'BlackBerry';
  return c;
}

function detectOS(p: State, s: Section): void {
  if (s.name === 'Mozilla') {
    p.platform = platformOf(s.comment);
    if (p.platform === 'Windows' && s.comment.length > 0) p.os = normalizeOS(s.comment[0]!);
    switch (p.engine) {
      case '':
        p.undecided = true;
        break;
      case 'Gecko':
        geckoOS(p, s.comment);
        break;
      case 'AppleWebKit':
        webkitOS(p, s.comment);
        break;
      case 'Trident':
        tridentOS(p, s.comment);
        break;
    }
  } else if (s.name === 'Opera') {
    if (s.comment.length > 0) operaOS(p, s.comment);
  } else if (s.name === 'Dalvik') {
    if (s.comment.length > 0 && s.comment[0]!.startsWith('Linux')) {
      p.platform = s.comment[0]!;
      if (s.comment.length > 2) p.os = s.comment[2]!;
      p.mobile = true;
    }
  } else if (s.name === 'okhttp') {
    p.mobile = true;
    p.browserName = 'OkHttp';
    p.browserVersion = s.version;
  } else p.undecided = true;
}

/** The bot name a comment's web site points at, or "". */
function botFromSite(comment: string[]): string {
  if (comment.length === 0) return '';
  const idx = comment.length < 3 ? 0 : comment.length === 4 ? 3 : 2;
  const m = BOT_SITE.exec(comment[idx]!);
  if (!m) return '';
  return idx === 0 ? m[0] : comment[idx - 1]!.trim();
}

function setSimple(p: State, name: string, version: string, bot: boolean): void {
  p.bot = bot;
  if (!bot) p.mozilla = '';
  p.browserName = name;
  p.browserVersion = version;
  p.engine = '';
  p.engineVersion = '';
  p.os = '';
}

function checkBot(p: State, sections: Section[]): void {
  const first = sections[0]!;
  if (sections.length === 1 && first.name !== 'Mozilla') {
    p.mozilla = '';
    if (BOT_NAME.test(first.name)) setSimple(p, first.name, '', true);
    else setSimple(p, first.name, first.version, botFromSite(first.comment) !== '');
    return;
  }
  for (const s of sections) {
    const name = botFromSite(s.comment);
    if (name !== '') {
      const slash = name.indexOf('/');
      if (slash >= 0) setSimple(p, name.slice(0, slash), name.slice(slash + 1), true);
      else setSimple(p, name, '', true);
      return;
    }
  }
  // some other unusual browser
  p.browserName = first.name;
  p.browserVersion = first.version;
  p.mozilla = '';
}

/** Parses a User-Agent header into DataKit's `user_agent` keys. */
export function parseUserAgent(header: string): UserAgentInfo {
  const p: State = {
    ua: header,
    mozilla: '',
    platform: '',
    os: '',
    browserName: '',
    browserVersion: '',
    engine: '',
    engineVersion: '',
    bot: false,
    mobile: false,
    undecided: false,
  };
  const sections: Section[] = [];
  for (let i = 0; i < header.length; ) {
    const [s, next] = parseSection(header, i);
    i = next;
    if (!p.mobile && s.name === 'Mobile') p.mobile = true;
    sections.push(s);
  }
  if (sections.length > 0) {
    if (sections[0]!.name === 'Mozilla') p.mozilla = sections[0]!.version;
    detectBrowser(p, sections);
    detectOS(p, sections[0]!);
    if (p.undecided) checkBot(p, sections);
  }
  return {
    browser: p.browserName,
    browserVer: p.browserVersion,
    engine: p.engine,
    engineVer: p.engineVersion,
    os: p.os,
    ua: p.platform,
    isMobile: p.mobile,
    isBot: p.bot,
  };
}
