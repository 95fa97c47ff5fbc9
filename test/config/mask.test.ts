import { describe, expect, it } from 'vitest';
import { maskedConfig, maskToken, maskUrl } from '../../src/config/index.js';
import { load } from './fixture.js';

describe('maskToken', () => {
  it.each([
    ['tkn_2af4b19d7e3c4f0a9d1e5b6c7a8f9e0d', 'tkn_2a…0d'],
    ['tkn_short', 'tkn_****'],
    ['plainsecretvalue', 'pl…ue'],
    ['abc', '****'],
    ['', ''],
  ])('%j → %j', (t, want) => {
    expect(maskToken(t)).toBe(want);
  });
});

describe('maskUrl', () => {
  it.each([
    [
      'https://openway.guance.com?token=tkn_2af4b19d7e3c4f0a9d1e5b6c7a8f9e0d',
      'https://openway.guance.com?token=tkn_2a…0d',
    ],
    ['http://dw:9528/?a=1&token=tkn_0123456789&b=2', 'http://dw:9528/?a=1&token=tkn_01…89&b=2'],
    ['http://user:secret@proxy:3128', 'http://user:****@proxy:3128'],
    ['http://10.0.0.2:9529', 'http://10.0.0.2:9529'],
    ['', ''],
  ])('%j → %j', (u, want) => {
    expect(maskUrl(u)).toBe(want);
  });
});

describe('maskedConfig', () => {
  const TOKEN = 'tkn_2af4b19d7e3c4f0a9d1e5b6c7a8f9e0d';
  const { config } = load({
    'conf.d/datakit.conf': `[http_api]
tokens = ["tkn_api_0123456789"]
[dataway]
urls = ["https://openway.guance.com?token=${TOKEN}"]
http_proxy = "http://u:pw@proxy:3128"
[pipeline]
refer_table_url = "http://rt.example.com/t?token=tkn_rt_0123456789"
[pipeline.offload]
addresses = ["http://10.0.0.2:9529"]
token = "tkn_offload_0123456789"
`,
  });
  const masked = maskedConfig(config);
  const text = JSON.stringify(masked);

  it('leaves no secret in the printable copy', () => {
    for (const secret of [
      TOKEN,
      'tkn_api_0123456789',
      'tkn_rt_0123456789',
      'tkn_offload_0123456789',
      'pw@',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(masked.dataway.endpoints[0]).toMatchObject({ token: 'tkn_2a…0d', query: 'token=tkn_2a…0d' });
    expect(masked.httpApi.tokens).toEqual(['tkn_ap…89']);
    expect(masked.pipeline.offload.token).toBe('tkn_of…89');
    expect(masked.dataway.httpProxy).toBe('http://u:****@proxy:3128');
  });

  it('leaves the original untouched and everything else equal', () => {
    expect(config.dataway.endpoints[0]!.token).toBe(TOKEN);
    expect(masked.pipeline.offload.targets).toEqual(config.pipeline.offload.targets);
    expect(masked.inputs).toEqual(config.inputs);
  });
});
